package dev.deploypipeline.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.testing.RedisExtension;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link DeploymentStore#markCancelled}: any deployment that has not finished can be cancelled, once. */
class DeploymentCancellationTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @RegisterExtension
    static final RedisExtension testRedis = new RedisExtension();

    private final RedisCommands<String, String> redis = testRedis.redis();
    private final DeploymentStore store = new DeploymentStore(testRedis.connector(), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void cloningUploadedAndBuildingDeploymentsEndCancelledWithTheReason() {
        DeploymentId cloning = created();
        DeploymentId uploaded = created();
        store.markUploaded(uploaded, "c0ffee");
        DeploymentId building = created();
        store.markUploaded(building, "c0ffee");
        store.markBuilding(building, "replica-a-w1");

        for (DeploymentId id : new DeploymentId[] {cloning, uploaded, building}) {
            DeploymentState before = store.state(id).orElseThrow();

            DeploymentStore.Transition cancelled = store.markCancelled(id, "cancelled by its owner");

            assertThat(cancelled).isEqualTo(new DeploymentStore.Transition(true, Optional.of(before)));
            assertThat(redis.hget("status", id.value())).isEqualTo("cancelled");
            assertThat(store.find(id)).hasValueSatisfying(d -> {
                assertThat(d.status()).isEqualTo(DeploymentState.CANCELLED);
                assertThat(d.error()).isEqualTo("cancelled by its owner");
                assertThat(d.finishedAt()).isEqualTo(NOW);
            });
        }
    }

    @Test
    void finishedDeploymentStaysAsItWas() {
        DeploymentId id = created();
        store.markUploaded(id, "c0ffee");
        store.markBuilding(id, "replica-a-w1");
        store.markDeployed(id, "replica-a-w1");

        DeploymentStore.Transition cancelled = store.markCancelled(id, "too late");

        assertThat(cancelled).isEqualTo(new DeploymentStore.Transition(false, Optional.of(DeploymentState.DEPLOYED)));
        assertThat(store.find(id).orElseThrow().error()).isNull();
    }

    @Test
    void cancelledDeploymentIsNeitherQueuedNorBuiltAfterwards() {
        DeploymentId id = created();
        store.markCancelled(id, "changed my mind");

        assertThat(store.markUploadedAndEnqueue(id, "c0ffee")).isFalse();
        assertThat(store.markBuilding(id, "replica-a-w1").moved()).isFalse();
        assertThat(redis.llen("build-queue")).isZero();
    }

    private DeploymentId created() {
        DeploymentId id = DeploymentId.random();
        store.create(Deployment.accepted(id, "https://example.com/site.git", null, null, NOW));
        return id;
    }
}
