package dev.deploypipeline.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploypipeline.testing.RedisExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DeploymentStoreTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @RegisterExtension
    static final RedisExtension redisServer = new RedisExtension();
    private DeploymentStore store;


    @BeforeEach
    void freshAdapters() {
        store = new DeploymentStore(redisServer.connector(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void newDeploymentIsCloningInTheStatusHashAndItsOwnHash() {
        DeploymentId id = DeploymentId.random();

        store.create(Deployment.accepted(id, "https://example.com/site.git", "main", null, NOW));

        assertThat(redisServer.redis().hget("status", id.value())).isEqualTo("cloning");
        assertThat(redisServer.redis().hget("deployment:" + id, "repoUrl")).isEqualTo("https://example.com/site.git");
        assertThat(store.find(id)).hasValueSatisfying(d -> {
            assertThat(d.status()).isEqualTo(DeploymentState.CLONING);
            assertThat(d.ref()).isEqualTo("main");
            assertThat(d.createdAt()).isEqualTo(NOW);
        });
    }

    @Test
    void buildSettingsAndTheirVariablesRoundTrip() {
        DeploymentId id = DeploymentId.random();
        BuildSettings build = new BuildSettings("web", "npm ci", "npm run build:prod", "out", Map.of("API_URL", "https://api"));

        store.create(Deployment.accepted(id, "https://example.com/a.git", null, "shop", build, NOW));

        assertThat(store.find(id).orElseThrow().build()).isEqualTo(build);
        assertThat(redisServer.redis().hget("deployment:" + id, "env.API_URL")).isEqualTo("https://api");
    }

    @Test
    void creatingTheSameIdTwiceIsRefused() {
        DeploymentId id = DeploymentId.random();
        store.create(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW));

        assertThatThrownBy(() -> store.create(Deployment.accepted(id, "https://example.com/b.git", null, null, NOW)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(store.find(id).orElseThrow().repoUrl()).isEqualTo("https://example.com/a.git");
    }

    @Test
    void walksForwardThroughEveryStateWithTimestamps() {
        DeploymentId id = DeploymentId.random();
        store.create(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW));

        assertThat(store.markUploaded(id, "abc123").moved()).isTrue();
        assertThat(store.markBuilding(id).moved()).isTrue();
        assertThat(store.markDeployed(id).moved()).isTrue();

        Deployment deployment = store.find(id).orElseThrow();
        assertThat(deployment.status()).isEqualTo(DeploymentState.DEPLOYED);
        assertThat(deployment.commit()).isEqualTo("abc123");
        assertThat(deployment.uploadedAt()).isEqualTo(NOW);
        assertThat(deployment.buildStartedAt()).isEqualTo(NOW);
        assertThat(deployment.finishedAt()).isEqualTo(NOW);
        assertThat(redisServer.redis().hget("status", id.value())).isEqualTo("deployed");
    }

    @Test
    void finalStateNeverMovesBackWhenAnIdIsDeliveredTwice() {
        DeploymentId id = DeploymentId.random();
        store.create(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW));
        store.markUploaded(id, "abc123");
        store.markBuilding(id);
        store.markDeployed(id);

        DeploymentStore.Transition again = store.markBuilding(id);
        DeploymentStore.Transition failedLate = store.markFailed(id, "late failure");

        assertThat(again.moved()).isFalse();
        assertThat(again.previous()).contains(DeploymentState.DEPLOYED);
        assertThat(failedLate.moved()).isFalse();
        assertThat(store.state(id)).contains(DeploymentState.DEPLOYED);
        assertThat(store.find(id).orElseThrow().error()).isNull();
    }

    @Test
    void uploadedAndQueuedHappenTogether() {
        DeploymentId id = DeploymentId.random();
        store.create(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW));

        assertThat(store.markUploadedAndEnqueue(id, "abc123")).isTrue();

        assertThat(store.state(id)).contains(DeploymentState.UPLOADED);
        assertThat(store.find(id).orElseThrow().commit()).isEqualTo("abc123");
        assertThat(redisServer.redis().lrange("build-queue", 0, -1)).containsExactly(id.value());
    }

    @Test
    void aRetriedUploadAndEnqueueThatAlreadyWentThroughAnswersTrueAndQueuesOnce() {
        DeploymentId id = DeploymentId.random();
        store.create(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW));
        store.markUploadedAndEnqueue(id, "abc123");

        assertThat(store.markUploadedAndEnqueue(id, "abc123")).isTrue();
        assertThat(store.markUploadedAndEnqueue(id, "def456")).isFalse();

        assertThat(store.find(id).orElseThrow().commit()).isEqualTo("abc123");
        assertThat(redisServer.redis().lrange("build-queue", 0, -1)).containsExactly(id.value());
    }

    @Test
    void aDeploymentThatIsNoLongerCloningIsNotQueued() {
        DeploymentId id = DeploymentId.random();
        store.create(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW));
        store.markFailed(id, "gave up");

        assertThat(store.markUploadedAndEnqueue(id, "abc123")).isFalse();

        assertThat(store.state(id)).contains(DeploymentState.FAILED);
        assertThat(redisServer.redis().llen("build-queue")).isZero();
    }

    @Test
    void cloningLeaseLapsesUnlessRenewedAndCanBeReleased() {
        DeploymentId renewed = DeploymentId.random();
        DeploymentId abandoned = DeploymentId.random();
        DeploymentId released = DeploymentId.random();
        MutableClock clock = new MutableClock(NOW);
        DeploymentStore leases = new DeploymentStore(redisServer.connector(), clock);
        leases.renewCloningLease(renewed, java.time.Duration.ofSeconds(30));
        leases.renewCloningLease(abandoned, java.time.Duration.ofSeconds(30));
        leases.renewCloningLease(released, java.time.Duration.ofSeconds(30));

        clock.advance(java.time.Duration.ofSeconds(20));
        leases.renewCloningLease(renewed, java.time.Duration.ofSeconds(30));
        leases.releaseCloningLease(released);
        clock.advance(java.time.Duration.ofSeconds(20));

        assertThat(leases.lapsedCloningLeases()).containsExactly(abandoned);
    }

    @Test
    void onlyTheLatestBuilderOfARedeliveredIdCanMarkItDeployed() {
        DeploymentId id = DeploymentId.random();
        store.create(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW));
        store.markUploaded(id, "abc");
        store.markBuilding(id, "replica-a-w1");
        store.markBuilding(id, "replica-b-w1");

        assertThat(store.isBuildingBy(id, "replica-a-w1")).isFalse();
        assertThat(store.isBuildingBy(id, "replica-b-w1")).isTrue();
        DeploymentStore.Transition zombie = store.markDeployed(id, "replica-a-w1");
        DeploymentStore.Transition owner = store.markDeployed(id, "replica-b-w1");

        assertThat(zombie.moved()).isFalse();
        assertThat(zombie.previous()).contains(DeploymentState.BUILDING);
        assertThat(owner.moved()).isTrue();
        assertThat(store.state(id)).contains(DeploymentState.DEPLOYED);
    }

    @Test
    void aRetriedMarkDeployedThatAlreadyWentThroughAnswersMovedOnlyToItsBuilder() {
        DeploymentId id = DeploymentId.random();
        store.create(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW));
        store.markUploaded(id, "abc");
        store.markBuilding(id, "replica-a-w1");
        store.markBuilding(id, "replica-b-w1");
        store.markDeployed(id, "replica-b-w1");

        DeploymentStore.Transition retried = store.markDeployed(id, "replica-b-w1");
        DeploymentStore.Transition zombie = store.markDeployed(id, "replica-a-w1");

        assertThat(retried.moved()).isTrue();
        assertThat(zombie.moved()).isFalse();
        assertThat(zombie.previous()).contains(DeploymentState.DEPLOYED);
        assertThat(store.state(id)).contains(DeploymentState.DEPLOYED);
    }

    @Test
    void cancellingAWaitingDeploymentKeepsTheReasonAndACloningOneIsNeverQueuedAfterwards() {
        DeploymentId cloning = DeploymentId.random();
        DeploymentId uploaded = DeploymentId.random();
        store.create(Deployment.accepted(cloning, "https://example.com/a.git", null, null, NOW));
        store.create(Deployment.accepted(uploaded, "https://example.com/a.git", null, null, NOW));
        store.markUploadedAndEnqueue(uploaded, "abc123");

        assertThat(store.cancelWaiting(cloning, "superseded").moved()).isTrue();
        assertThat(store.cancelWaiting(uploaded, "superseded").previous()).contains(DeploymentState.UPLOADED);

        assertThat(store.markUploadedAndEnqueue(cloning, "def456")).isFalse();
        assertThat(store.find(cloning).orElseThrow())
                .extracting(Deployment::status, Deployment::error)
                .containsExactly(DeploymentState.CANCELLED, "superseded");
        assertThat(redisServer.redis().lrange("build-queue", 0, -1)).containsExactly(uploaded.value());
    }

    @Test
    void aBuildingOrFinishedDeploymentIsNotCancelled() {
        DeploymentId building = DeploymentId.random();
        store.create(Deployment.accepted(building, "https://example.com/a.git", null, null, NOW));
        store.markUploadedAndEnqueue(building, "abc123");
        store.markBuilding(building);

        assertThat(store.cancelWaiting(building, "superseded").moved()).isFalse();
        assertThat(store.state(building)).contains(DeploymentState.BUILDING);
    }

    @Test
    void failureKeepsItsReason() {
        DeploymentId id = DeploymentId.random();
        store.create(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW));

        store.markFailed(id, "repository not found");

        assertThat(store.find(id).orElseThrow())
                .extracting(Deployment::status, Deployment::error)
                .containsExactly(DeploymentState.FAILED, "repository not found");
    }

    @Test
    void transitionOfAnUnknownIdMovesNothing() {
        DeploymentStore.Transition transition = store.markBuilding(DeploymentId.random());

        assertThat(transition.moved()).isFalse();
        assertThat(transition.previous()).isEmpty();
    }

    @Test
    void listsTheNewestFirst() {
        DeploymentId older = DeploymentId.random();
        DeploymentId newer = DeploymentId.random();
        store.create(Deployment.accepted(older, "https://example.com/a.git", null, null, NOW));
        store.create(Deployment.accepted(newer, "https://example.com/b.git", null, null, NOW.plusSeconds(1)));

        assertThat(store.newest(10)).extracting(Deployment::id).containsExactly(newer, older);
        assertThat(store.newest(1)).extracting(Deployment::id).containsExactly(newer);
    }

    @Test
    void scriptsStillRunAfterRedisForgetsThem() {
        DeploymentId id = DeploymentId.random();
        store.create(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW));
        redisServer.redis().scriptFlush();

        assertThat(store.markUploaded(id, "abc").moved()).isTrue();
    }

    /** A clock a test moves by hand. */
    static final class MutableClock extends Clock {

        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(java.time.Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
