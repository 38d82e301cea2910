package dev.deploypipeline.deploy.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.buildlog.BuildLogStream;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.storage.ObjectKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A build's log: live in {@code logs:{id}} while it runs, whole (up to its cap) in {@code logs/{id}.log} after. */
class LiveLogTest {

    @RegisterExtension
    static final TestPipeline pipeline = new TestPipeline();

    private final RecordingListener listener = new RecordingListener();

    @TempDir
    Path workDir;

    @Test
    void linesReachTheStreamWhileTheBuildRunsAndTheWholeLogIsStoredWhenItEnds() throws IOException {
        DeploymentId id = pipeline.uploaded(Map.of("package.json", """
                {"name": "talks", "version": "1.0.0", "private": true, "scripts": {"build":
                 "echo first line && echo to stderr >&2 && touch waiting && \
                while [ ! -e go ]; do sleep 0.1; done && \
                echo second line && mkdir -p dist && echo x > dist/index.html"}}
                """));
        pipeline.enqueue(id);
        pipeline.startPool("replica-a", 1, workDir, listener);
        Path waiting = await().atMost(Duration.ofSeconds(60))
                .until(() -> find("waiting"), Optional::isPresent)
                .orElseThrow();

        await().atMost(Duration.ofSeconds(5)).until(() -> pipeline.liveLog(id).contains("to stderr"));
        assertThat(pipeline.liveLog(id))
                .contains("$ npm run build", "first line")
                .doesNotContain("second line");
        assertThat(pipeline.state(id)).isEqualTo(DeploymentState.BUILDING);

        Files.writeString(waiting.resolveSibling("go"), "");
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.ids().contains(id));

        List<String> live = pipeline.liveLog(id);
        assertThat(live)
                .containsSubsequence(
                        "$ npm install --no-audit --no-fund",
                        "$ npm run build",
                        "first line",
                        "to stderr",
                        "second line",
                        "[exited with code 0]",
                        "Uploaded 1 files",
                        "Published the site");
        assertThat(pipeline.storedLog(id)).isEqualTo(live);
        assertThat(new BuildLogStream(pipeline.connector()).readAfter(id, BuildLogStream.START, 100_000))
                .last()
                .satisfies(entry -> assertThat(entry.isEnd()).isTrue());
        assertThat(pipeline.redis().ttl("logs:" + id)).isBetween(86_000L, 86_400L);
        assertThat(pipeline.text(ObjectKeys.log(id)).lines())
                .allMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z .*"));
    }

    @Test
    void buildThatPrintsThirtyMegabytesIsDeployedWithItsLogCappedInS3AndInTheStream() {
        DeploymentId id = pipeline.uploaded(Map.of("package.json", """
                {"name": "loud", "version": "1.0.0", "private": true, "scripts": {"build":
                 "yes $(printf '%0999d' 7) | head -c 31457280 && echo && echo the end && \
                mkdir -p dist && echo ok > dist/index.html"}}
                """));

        pipeline.enqueue(id);
        pipeline.startPool("replica-a", 1, workDir, listener);
        await().atMost(Duration.ofMinutes(2)).until(() -> listener.ids().contains(id));

        assertThat(pipeline.state(id)).isEqualTo(DeploymentState.DEPLOYED);
        String stored = pipeline.text(ObjectKeys.log(id));
        assertThat((long) stored.length()).isLessThanOrEqualTo(10L * 1024 * 1024);
        assertThat(stored).contains("[the log passed BUILD_LOG_MAX_SIZE (10MB): the lines after this one are left out");
        assertThat(pipeline.storedLog(id)).contains("the end", "Published the site");
        assertThat(pipeline.redis().xlen("logs:" + id)).isBetween(9_000L, 11_000L);
    }

    private Optional<Path> find(String name) {
        try (Stream<Path> paths = Files.walk(workDir)) {
            return paths.filter(path -> path.getFileName().toString().equals(name))
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
