package dev.deploypipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scripts/bench.sh --short} runs every row of the benchmark, so it cannot rot; its times are not judged. */
class BenchScriptTest {

    @TempDir
    Path output;

    @Test
    void shortRunPrintsEveryRowOfTheTable() throws IOException, InterruptedException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path printed = output.resolve("bench.txt");
        ProcessBuilder bench = new ProcessBuilder("scripts/bench.sh", "--short")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(printed.toFile());
        bench.environment().put("BENCH_SKIP_BUILD", "1");
        bench.environment()
                .put(
                        "S3PROXY_JAR",
                        Path.of(System.getProperty("s3proxy.jar"))
                                .toAbsolutePath()
                                .toString());
        Process process = bench.start();

        boolean ended = process.waitFor(20, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly();
        }

        String table = Files.readString(printed);
        assertThat(ended).as("bench.sh ended within 20 minutes:\n%s", table).isTrue();
        assertThat(process.exitValue())
                .as("bench.sh's exit code; it printed:\n%s", table)
                .isZero();
        assertThat(table)
                .contains(
                        "| 5-file static site, submit → deployed, p50 of 3 |",
                        "| 5-file static site, submit → deployed, p95 of 3 |",
                        "| 50 files × 4 KB, fetch + upload of sources (median of 1, after one not counted) |",
                        "| 50 files × 4 KB, against the AWS CLI (one run) |",
                        "| same repository, static publish (building → deployed) |",
                        "| 6 static sites submitted at once, one replica, 2 workers (after one such batch not counted) |",
                        "| create-vite react-ts app, cold: submit → deployed |",
                        "| create-vite react-ts app, warm: submit → deployed |",
                        "| resident memory of upload-service after the run |",
                        "| resident memory of " + Benchmark.REPLICA + " after the run |",
                        "| resident memory of request-handler after the run |",
                        "| deploy replica start: JVM start → health UP and consuming |",
                        "- CPU time of the 50-file row. The reference's upload of ");
    }
}
