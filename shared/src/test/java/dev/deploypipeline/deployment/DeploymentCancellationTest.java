package dev.deploypipeline.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.deployment.DeploymentState.Move;
import dev.deploypipeline.testing.RedisExtension;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link DeploymentTransitions#cancel}: any deployment that has not finished can be cancelled, once, in one step. */
class DeploymentCancellationTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @RegisterExtension
    static final RedisExtension testRedis = new RedisExtension();

    private final RedisClusterCommands<String, String> redis = testRedis.redis();
    private final DeploymentStore store = new DeploymentStore(testRedis.connector());
    private final DeploymentTransitions transitions =
            new DeploymentTransitions(testRedis.connector(), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void cloningUploadedAndBuildingDeploymentsEndCancelledWithTheReason() {
        DeploymentId cloning = created();
        DeploymentId uploaded = created();
        transitions.upload(uploaded, "c0ffee");
        DeploymentId building = created();
        transitions.upload(building, "c0ffee");
        transitions.start(building, "replica-a-w1");

        for (DeploymentId id : new DeploymentId[] {cloning, uploaded, building}) {
            DeploymentState before = store.state(id).orElseThrow();

            DeploymentTransitions.Transition cancelled = transitions.cancel(id, Move.CANCEL, "cancelled by its owner");

            assertThat(cancelled).isEqualTo(new DeploymentTransitions.Transition(true, Optional.of(before)));
            assertThat(redis.hget("status", id.value())).isEqualTo("cancelled");
            assertThat(store.find(id)).hasValueSatisfying(d -> {
                assertThat(d.status()).isEqualTo(DeploymentState.CANCELLED);
                assertThat(d.error()).isEqualTo("cancelled by its owner");
                assertThat(d.finishedAt()).isEqualTo(NOW);
            });
        }
    }

    @Test
    void aWaitingDeploymentLeavesTheQueueABuildIsAnnouncedAndAFetchLosesItsLeaseInTheSameStep() throws Exception {
        DeploymentId cloning = created();
        DeploymentId uploaded = created();
        transitions.upload(uploaded, "c0ffee");
        DeploymentId building = created();
        transitions.upload(building, "c0ffee");
        redis.lrem("build-queue", 1, building.value()); // taken by its builder
        redis.lpush("build-queue:processing:replica-a-w1", building.value());
        transitions.start(building, "replica-a-w1");
        var announced = new java.util.concurrent.LinkedBlockingQueue<String>();
        var subscription = testRedis.connector().connectPubSub();
        subscription.addListener(new io.lettuce.core.pubsub.RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                announced.add(message);
            }
        });
        subscription.sync().subscribe("cancellations");
        try {
            for (DeploymentId id : new DeploymentId[] {cloning, uploaded, building}) {
                transitions.cancel(id, Move.CANCEL, "cancelled");
            }

            assertThat(redis.llen("build-queue")).isZero();
            assertThat(redis.zcard("cloning-leases")).isZero();
            assertThat(announced.poll(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(building.value());
            assertThat(announced).isEmpty();
        } finally {
            subscription.close();
        }
    }

    @Test
    void aSupersedeLeavesABuildAlone() {
        DeploymentId building = created();
        transitions.upload(building, "c0ffee");
        transitions.start(building, "replica-a-w1");

        assertThat(transitions.cancel(building, Move.SUPERSEDE, "superseded by a newer push"))
                .isEqualTo(new DeploymentTransitions.Transition(false, Optional.of(DeploymentState.BUILDING)));
    }

    @Test
    void finishedDeploymentStaysAsItWas() {
        DeploymentId id = created();
        transitions.upload(id, "c0ffee");
        transitions.start(id, "replica-a-w1");
        transitions.deploy(id, "replica-a-w1");

        DeploymentTransitions.Transition cancelled = transitions.cancel(id, Move.CANCEL, "too late");

        assertThat(cancelled)
                .isEqualTo(new DeploymentTransitions.Transition(false, Optional.of(DeploymentState.DEPLOYED)));
        assertThat(store.find(id).orElseThrow().error()).isNull();
    }

    @Test
    void cancelledDeploymentIsNeitherQueuedNorBuiltAfterwards() {
        DeploymentId id = created();
        transitions.cancel(id, Move.CANCEL, "changed my mind");

        assertThat(transitions.upload(id, "c0ffee")).isFalse();
        assertThat(transitions.start(id, "replica-a-w1").moved()).isFalse();
        assertThat(redis.llen("build-queue")).isZero();
    }

    private DeploymentId created() {
        DeploymentId id = DeploymentId.random();
        transitions.accept(
                Deployment.accepted(id, "https://example.com/site.git", null, null, NOW), Duration.ofMinutes(1));
        return id;
    }
}
