package dev.deploypipeline.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RelativePathTest {

    @ParameterizedTest
    @ValueSource(strings = {"index.html", "assets/app-1234.js", "a/b/c/d.txt", ".well-known/x", "..hidden"})
    void acceptsOrdinaryPathsAndKeepsThemUnderTheirRoot(String value) {
        Path root = Path.of("/tmp/site");
        assertThat(RelativePath.isSafe(value)).isTrue();
        assertThat(new RelativePath(value).under(root)).startsWithRaw(root);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b", "a\\b", "a/", "..", "a\u0000b"})
    void refusesPathsThatCouldClimbOutOrAreMalformed(String value) {
        assertThat(RelativePath.isSafe(value)).isFalse();
    }
}
