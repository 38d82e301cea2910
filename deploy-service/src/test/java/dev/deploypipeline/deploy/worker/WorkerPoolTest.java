package dev.deploypipeline.deploy.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deploy.builder.TestProcesses;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The pool on the queue: order, several replicas, duplicate deliveries, shutdown. */
class WorkerPoolTest {

    @RegisterExtension
    static final TestPipeline pipeline = new TestPipeline();

    private final RecordingListener listener = new RecordingListener();

    @TempDir
    Path workDir;

    @Test
    void buildsFiveQueuedIdsOldestFirstWithOneWorker() {
        List<DeploymentId> ids = staticSites(5);
        ids.forEach(pipeline::enqueue);

        pipeline.startPool("replica-a", 1, workDir, listener);
        await().atMost(Duration.ofSeconds(60)).until(() -> listener.ids().size() == 5);

        assertThat(listener.ids()).containsExactlyElementsOf(ids);
        List<Instant> started =
                ids.stream().map(id -> pipeline.deployment(id).buildStartedAt()).toList();
        assertThat(started).isSorted();
        assertThat(listener.all())
                .allSatisfy(finished -> assertThat(finished.thread()).isEqualTo("deploy-worker-1"));
    }

    @Test
    void twoReplicasOnOneQueueBuildTenIdsWithNoIdBuiltTwice() {
        List<DeploymentId> ids = staticSites(10);

        pipeline.startPool("replica-a", 2, workDir.resolve("a"), listener);
        pipeline.startPool("replica-b", 2, workDir.resolve("b"), listener);
        ids.forEach(pipeline::enqueue);
        await().atMost(Duration.ofSeconds(60)).until(() -> listener.ids().size() >= 10);

        assertThat(listener.built()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        assertThat(ids).allSatisfy(id -> assertThat(pipeline.state(id)).isEqualTo(DeploymentState.DEPLOYED));
        assertThat(pipeline.redis().keys("build-queue:processing:*")).isEmpty();
        assertThat(pipeline.redis().llen("build-queue")).isZero();
    }

    @Test
    void duplicateDeliveryOfAFinishedDeploymentIsSkippedAndLeavesTheProcessingList() {
        DeploymentId id = staticSites(1).get(0);
        pipeline.enqueue(id);
        pipeline.startPool("replica-a", 1, workDir, listener);
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.ids().size() == 1);

        pipeline.deliverAgain(id);
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.ids().size() == 2);

        assertThat(listener.all())
                .extracting(RecordingListener.Finished::outcome)
                .containsExactly(Outcome.DEPLOYED, Outcome.SKIPPED);
        assertThat(pipeline.state(id)).isEqualTo(DeploymentState.DEPLOYED);
        assertThat(pipeline.redis().keys("build-queue:processing:*")).isEmpty();
    }

    @Test
    void stopKillsABuildStillRunningAfterTheGraceAndHandsItsIdBackToTheQueue() {
        String sleeper = TestProcesses.marker();
        DeploymentId id = pipeline.uploaded(Map.of("package.json", """
                {"name": "slow-site", "version": "1.0.0", "private": true, "scripts": {"build": "sleep %s"}}
                """.formatted(sleeper)));
        pipeline.enqueue(id);
        WorkerPool pool = pipeline.startPool("replica-a", 1, workDir, Duration.ofMillis(500), listener);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !TestProcesses.withArgument(sleeper).isEmpty());

        pool.stop();

        assertThat(pool.isRunning()).isFalse();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> TestProcesses.withArgument(sleeper).isEmpty());
        assertThat(pipeline.state(id)).isEqualTo(DeploymentState.UPLOADED);
        assertThat(pipeline.redis().llen("build-queue:processing:replica-a-w1")).isZero();
        assertThat(pipeline.redis().lrange("build-queue", 0, -1)).containsExactly(id.value());
        assertThat(listener.all()).isEmpty();
        assertThat(workDir).isEmptyDirectory();

        pool.stop(); // a second stop is harmless
        assertThat(pool.isRunning()).isFalse();
    }

    @Test
    void buildTakenOverByAnotherBuilderPublishesNothingAndLeavesTheDeploymentToIt() throws IOException {
        DeploymentId id = pipeline.uploaded(Map.of(
                "package.json", """
                        {"name": "taken-over", "version": "1.0.0", "private": true, "scripts": {"build": "node build.js"}}
                        """,
                "build.js", """
                        const fs = require('fs');
                        fs.writeFileSync('build.pid', String(process.pid));
                        const wait = setInterval(() => {
                          if (fs.existsSync('go')) {
                            clearInterval(wait);
                            fs.mkdirSync('dist', { recursive: true });
                            fs.writeFileSync('dist/index.html', 'zombie');
                          }
                        }, 50);
                        """));
        pipeline.enqueue(id);
        pipeline.startPool("replica-a", 1, workDir, listener);
        Path pidFile = await().atMost(Duration.ofSeconds(60))
                .ignoreExceptions()
                .until(() -> find(workDir, "build.pid"), Optional::isPresent)
                .orElseThrow();

        pipeline.redis().lpush("build-queue:processing:replica-b-w1", id.value()); // delivered to b, which starts it
        pipeline.transitions().start(id, "replica-b-w1");
        Files.writeString(pidFile.resolveSibling("go"), "");

        await().atMost(Duration.ofSeconds(30)).until(() -> listener.ids().size() == 1);
        assertThat(listener.all())
                .extracting(RecordingListener.Finished::outcome)
                .containsExactly(Outcome.DISCARDED);
        assertThat(pipeline.text("dist/" + id + "/index.html")).isNull();
        assertThat(pipeline.state(id)).isEqualTo(DeploymentState.BUILDING);
        assertThat(pipeline.store().isBuildingBy(id, "replica-b-w1")).isTrue();
    }

    @Test
    void stoppedPoolTakesNothingMore() {
        WorkerPool pool = pipeline.startPool("replica-a", 2, workDir, listener);
        pool.stop();

        DeploymentId id = staticSites(1).get(0);
        pipeline.enqueue(id);

        // Longer than a worker's blocking take, so a worker still taking would have had its chance.
        await().during(Duration.ofMillis(2500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> pipeline.redis().llen("build-queue") == 1);
        assertThat(pipeline.state(id)).isEqualTo(DeploymentState.UPLOADED);
    }

    private List<DeploymentId> staticSites(int count) {
        return IntStream.rangeClosed(1, count)
                .mapToObj(n -> pipeline.uploaded(Map.of("index.html", "<p>site " + n + "</p>")))
                .toList();
    }

    private static Optional<Path> find(Path folder, String name) {
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(path -> path.getFileName().toString().equals(name))
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
