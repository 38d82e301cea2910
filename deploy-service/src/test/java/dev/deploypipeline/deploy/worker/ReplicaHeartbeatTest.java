package dev.deploypipeline.deploy.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.doNothing;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import dev.deploypipeline.deploy.DeploySettings;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.queue.QueueRecovery;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.util.unit.DataSize;

class ReplicaHeartbeatTest {

    @RegisterExtension
    static final TestPipeline pipeline = new TestPipeline();

    private final RecoverySettings fast = new RecoverySettings(Duration.ofSeconds(3), Duration.ofMillis(200), 3);

    @Test
    void keepsEveryConsumerOfTheReplicaAliveAndForgetsThemWhenStopped() {
        ReplicaHeartbeat heartbeat = heartbeat("replica-a", 2);

        heartbeat.start();

        assertThat(pipeline.redis().pttl("build-queue:heartbeat:replica-a-w1")).isPositive();
        assertThat(pipeline.redis().pttl("build-queue:heartbeat:replica-a-w2")).isPositive();
        heartbeat.stop();
        assertThat(pipeline.redis().exists("build-queue:heartbeat:replica-a-w1", "build-queue:heartbeat:replica-a-w2"))
                .isZero();
    }

    @Test
    void putsBackTheIdsOfAReplicaWhoseHeartbeatStopped() {
        DeploymentId stranded = pipeline.uploaded(Map.of("index.html", "x"));
        pipeline.startedBy(stranded, "dead-replica-w1");
        pipeline.redis().lpush("build-queue:processing:dead-replica-w1", stranded.value());
        ReplicaHeartbeat heartbeat = heartbeat("replica-a", 1);

        heartbeat.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> pipeline.redis().llen("build-queue") == 1);
        heartbeat.stop();
        assertThat(pipeline.redis().exists("build-queue:processing:dead-replica-w1"))
                .isZero();
        assertThat(pipeline.deployment(stranded).status()).isEqualTo(DeploymentState.UPLOADED);
        assertThat(pipeline.deployment(stranded).attempts()).isEqualTo(1);
    }

    @Test
    void replicaStartedAgainUnderItsNameCountsAnAttemptForWhatItsEarlierLifeHeldBeforeItsWorkersTakeIt() {
        // A container restarted in its pod: same consumer names, the earlier life's heartbeat still alive.
        DeploymentId held = pipeline.uploaded(Map.of("index.html", "x"));
        pipeline.startedBy(held, "pod-a-w1");
        pipeline.redis().lpush("build-queue:processing:pod-a-w1", held.value());
        pipeline.redis().set("build-queue:heartbeat:pod-a-w1", "earlier life");
        ReplicaHeartbeat heartbeat = heartbeat("pod-a", 1);

        heartbeat.start();

        try {
            assertThat(pipeline.redis().exists("build-queue:processing:pod-a-w1"))
                    .isZero();
            assertThat(pipeline.redis().lrange("build-queue", 0, -1)).containsExactly(held.value());
            assertThat(pipeline.deployment(held).status()).isEqualTo(DeploymentState.UPLOADED);
            assertThat(pipeline.deployment(held).attempts()).isEqualTo(1);
            assertThat(pipeline.redis().pttl("build-queue:heartbeat:pod-a-w1")).isPositive();
        } finally {
            heartbeat.stop();
        }
    }

    @Test
    void keepsRenewingAfterOneBeatThrewAnError() {
        // An OutOfMemoryError caused by another thread's allocation lands on whichever thread allocates next.
        QueueRecovery recovery = mock(QueueRecovery.class);
        doNothing() // the beat at start
                .doThrow(new OutOfMemoryError("Java heap space"))
                .doNothing()
                .when(recovery)
                .heartbeat(any(), any());
        ReplicaHeartbeat heartbeat = new ReplicaHeartbeat(recovery, fast, settings("replica-a", 1));

        heartbeat.start();

        try {
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> verify(recovery, atLeast(4)).heartbeat(any(), any()));
        } finally {
            heartbeat.stop();
        }
    }

    private ReplicaHeartbeat heartbeat(String replica, int workers) {
        return new ReplicaHeartbeat(
                new QueueRecovery(pipeline.connector(), pipeline.transitions(), Clock.systemUTC()),
                fast,
                settings(replica, workers));
    }

    private static DeploySettings settings(String replica, int workers) {
        return new DeploySettings(
                workers,
                Duration.ofMinutes(1),
                Path.of("unused"),
                replica,
                Duration.ofSeconds(30),
                DataSize.ofGigabytes(1));
    }
}
