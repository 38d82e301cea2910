package dev.deploypipeline.deploy.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deploy.builder.TestProcesses;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentState.Move;
import dev.deploypipeline.storage.ObjectKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A deployment cancelled as upload-service cancels it: its state, then an announcement on {@code cancellations}. */
class CancellationTest {

    @RegisterExtension
    static final TestPipeline pipeline = new TestPipeline();

    private final RecordingListener listener = new RecordingListener();

    @TempDir
    Path workDir;

    @Test
    void runningBuildCancelledThroughTheChannelIsKilledWithinTwoSecondsAndPublishesNothing() {
        String sleeper = TestProcesses.marker();
        DeploymentId id = startBuildThatSleeps(sleeper);

        pipeline.transitions().cancel(id, Move.CANCEL, "cancelled by its owner"); // announced on the channel too

        await().atMost(Duration.ofSeconds(2))
                .until(() -> TestProcesses.withArgument(sleeper).isEmpty());
        assertCancelledAndNothingKept(id);
    }

    @Test
    void cancellationThatWasNotAnnouncedIsFoundByTheStateWithinTwoSeconds() {
        String sleeper = TestProcesses.marker();
        DeploymentId id = startBuildThatSleeps(sleeper);

        // The state a cancel writes, without its announcement: as if the replica had missed it (Redis was away).
        pipeline.redis().hset("status", id.value(), "cancelled");
        pipeline.redis().hset("deployment:" + id, Map.of("status", "cancelled", "error", "cancelled by its owner"));

        await().atMost(Duration.ofSeconds(2))
                .until(() -> TestProcesses.withArgument(sleeper).isEmpty());
        assertCancelledAndNothingKept(id);
    }

    @Test
    void deploymentCancelledWhileItWaitedIsNotBuiltWhenItIsTakenAnyway() {
        DeploymentId id = pipeline.uploaded(Map.of("index.html", "never published"));
        pipeline.enqueue(id);
        pipeline.transitions().cancel(id, Move.CANCEL, "cancelled by its owner");
        pipeline.deliverAgain(id); // the cancel took it off the queue; a delivery made before it comes all the same

        pipeline.startPool("replica-a", 1, workDir, listener);
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.ids().contains(id));

        assertThat(listener.all())
                .extracting(RecordingListener.Finished::outcome)
                .containsExactly(Outcome.SKIPPED);
        assertThat(pipeline.state(id)).isEqualTo(DeploymentState.CANCELLED);
        assertThat(pipeline.keys(ObjectKeys.site(id))).isEmpty();
        assertThat(pipeline.redis().llen("build-queue:processing:replica-a-w1")).isZero();
    }

    private DeploymentId startBuildThatSleeps(String sleeper) {
        DeploymentId id = pipeline.uploaded(Map.of("package.json", """
                {"name": "slow", "version": "1.0.0", "private": true,
                 "scripts": {"build": "mkdir -p dist && echo too late > dist/index.html && sleep %s"}}
                """.formatted(sleeper)));
        pipeline.enqueue(id);
        pipeline.startPool("replica-a", 1, workDir, listener);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !TestProcesses.withArgument(sleeper).isEmpty());
        return id;
    }

    private void assertCancelledAndNothingKept(DeploymentId id) {
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.ids().contains(id));
        assertThat(listener.all())
                .extracting(RecordingListener.Finished::outcome)
                .containsExactly(Outcome.CANCELLED);
        assertThat(pipeline.state(id)).isEqualTo(DeploymentState.CANCELLED);
        assertThat(pipeline.deployment(id).error()).isEqualTo("cancelled by its owner");
        assertThat(pipeline.keys(ObjectKeys.site(id))).isEmpty();
        assertThat(pipeline.redis().llen("build-queue:processing:replica-a-w1")).isZero();
        assertThat(pipeline.storedLog(id))
                .contains("[killed: the deployment was cancelled]", "Stopped: the deployment was cancelled");
        assertThat(workDir).isEmptyDirectory();
    }
}
