package dev.deploypipeline.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeploymentIdTest {

    @Test
    void randomIdsAreDnsLabelsWithEightyBitsOfRandomness() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = DeploymentId.random().value();
            assertThat(id).matches("[a-z2-7]{16}");
            seen.add(id);
        }
        assertThat(seen).hasSize(10_000);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(
            strings = {
                "",
                "ABCDEFGHIJKLMNOP",
                "abc",
                "abcdefghijklmnop1",
                "abcdefghijklmno1",
                "../../etc/passwd",
                "abcdefghijklmno ",
                "abcdefghijklmn:x",
                "abcdefghijklmnopq"
            })
    void rejectsAnythingThatIsNotAnId(String value) {
        assertThat(DeploymentId.isValid(value)).isFalse();
        assertThat(DeploymentId.parse(value)).isEmpty();
        assertThatThrownBy(() -> new DeploymentId(value)).isInstanceOf(InvalidDeploymentIdException.class);
    }
}
