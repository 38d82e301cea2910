package dev.deploypipeline.deploy.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

class BuildLogTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00.5Z"), ZoneOffset.UTC);

    @TempDir
    Path folder;

    @Test
    void everyLineHasItsTime() throws IOException {
        BuildLog log = BuildLog.fileOnly(folder.resolve("build.log"), CLOCK, DataSize.ofMegabytes(1));

        log.line("$ npm ci");
        log.line("two\nlines");
        log.close();

        assertThat(Files.readAllLines(log.file()))
                .containsExactly(
                        "2026-11-22T10:00:00.500Z $ npm ci",
                        "2026-11-22T10:00:00.500Z two",
                        "2026-11-22T10:00:00.500Z lines");
    }

    @Test
    void logPastItsMaximumIsCutWithANoteAndEndsWithItsLastLines() throws IOException {
        DataSize max = DataSize.ofKilobytes(500);
        BuildLog log = BuildLog.fileOnly(folder.resolve("build.log"), CLOCK, max);

        for (int n = 1; n <= 30_000; n++) {
            log.line("line " + n + " " + "x".repeat(100));
        }
        log.close();

        assertThat(Files.size(log.file())).isLessThanOrEqualTo(max.toBytes());
        List<String> lines = Files.readAllLines(log.file());
        assertThat(lines.get(0)).endsWith("line 1 " + "x".repeat(100));
        assertThat(lines)
                .anyMatch(line -> line.contains("[the log passed BUILD_LOG_MAX_SIZE (500KB): the lines"
                        + " after this one are left out, and the last 20 follow at the end]"));
        assertThat(lines.get(lines.size() - 21))
                .containsPattern("\\[\\d+ lines \\(\\d+ KB\\) were left out; the last 20" + " of them follow]");
        assertThat(lines.get(lines.size() - 1)).endsWith("line 30000 " + "x".repeat(100));
        assertThat(log.lastLines()).hasSize(20).last().asString().startsWith("line 30000 ");
    }
}
