package dev.deploypipeline.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreviewBranchesTest {

    @Test
    void aStarStandsForAnyRunOfCharactersAndTheRestIsTakenLiterally() {
        PreviewBranches branches = new PreviewBranches(List.of("feature/*", "release-*-rc", "fix.*"));

        assertThat(branches.matches("feature/cart")).isTrue();
        assertThat(branches.matches("feature/")).isTrue();
        assertThat(branches.matches("feature/a/b")).isTrue();
        assertThat(branches.matches("release-1.2-rc")).isTrue();
        assertThat(branches.matches("release--rc")).isTrue();
        assertThat(branches.matches("fix.typo")).isTrue();
        assertThat(branches.matches("fixXtypo")).as("'.' is no wildcard").isFalse();
        assertThat(branches.matches("release-1.2-rc2")).isFalse();
        assertThat(branches.matches("my-feature/cart")).isFalse();
        assertThat(branches.matches("feature")).isFalse();
        assertThat(branches.matches(null)).isFalse();
        assertThat(PreviewBranches.ALL.matches("")).isTrue();
        assertThat(PreviewBranches.NONE.matches("main")).isFalse();
    }

    @Test
    void aLongBranchThatNearlyMatchesManyStarsIsDecidedAtOnce() {
        // 49 hyphens wanted, 40 given: a backtracking matcher tries every way of placing them, some 2^40.
        PreviewBranches hyphens = new PreviewBranches(List.of("*-".repeat(49) + "*", "*-*-*-*x"));
        String nearly = "-".repeat(40) + "a".repeat(215);
        String huge = "a-".repeat(20) + "a".repeat(100_000);

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThat(hyphens.matches(nearly)).isFalse();
            assertThat(hyphens.matches(huge)).isFalse();
            assertThat(hyphens.matches(huge + "x")).isTrue();
        });
    }
}
