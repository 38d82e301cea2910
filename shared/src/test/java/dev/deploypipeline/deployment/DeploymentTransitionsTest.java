package dev.deploypipeline.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploypipeline.deployment.DeploymentState.Move;
import dev.deploypipeline.testing.RedisExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every move of the state machine, against a real Redis: what each checks, writes and queues in its one step. */
class DeploymentTransitionsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @RegisterExtension
    static final RedisExtension redisServer = new RedisExtension();

    private static final Duration LEASE = Duration.ofSeconds(60);
    private DeploymentStore store;
    private DeploymentTransitions transitions;

    @BeforeEach
    void freshAdapters() {
        store = new DeploymentStore(redisServer.connector());
        transitions = new DeploymentTransitions(redisServer.connector(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void newDeploymentIsCloningInTheStatusHashAndItsOwnHash() {
        DeploymentId id = DeploymentId.random();

        transitions.accept(Deployment.accepted(id, "https://example.com/site.git", "main", null, NOW), LEASE);

        assertThat(redisServer.redis().hget("status", id.value())).isEqualTo("cloning");
        assertThat(redisServer.redis().hget("deployment:" + id, "repoUrl")).isEqualTo("https://example.com/site.git");
        assertThat(store.find(id)).hasValueSatisfying(d -> {
            assertThat(d.status()).isEqualTo(DeploymentState.CLONING);
            assertThat(d.ref()).isEqualTo("main");
            assertThat(d.createdAt()).isEqualTo(NOW);
        });
    }

    @Test
    void anUploadForTheSiteDropsThePreviewItWasAcceptedForInTheSameStep() {
        DeploymentId site = DeploymentId.random();
        DeploymentId preview = DeploymentId.random();
        for (DeploymentId id : List.of(site, preview)) {
            transitions.accept(
                    Deployment.accepted(id, "https://example.com/a.git", "main", "shop", NOW)
                            .withSite("main--shop", "http://" + id + ".localhost:3001/"),
                    LEASE);
        }

        assertThat(transitions.upload(site, "c0ffee", true)).isTrue();
        assertThat(transitions.upload(preview, "c0ffee", false)).isTrue();

        assertThat(store.find(site).orElseThrow().preview()).isNull();
        assertThat(store.find(site).orElseThrow().status()).isEqualTo(DeploymentState.UPLOADED);
        assertThat(store.find(preview).orElseThrow().preview()).isEqualTo("main--shop");
        assertThat(redisServer.redis().lrange("build-queue", 0, -1)).contains(site.value(), preview.value());
    }

    @Test
    void buildSettingsAndTheirVariablesRoundTrip() {
        DeploymentId id = DeploymentId.random();
        BuildSettings build =
                new BuildSettings("web", "npm ci", "npm run build:prod", "out", Map.of("API_URL", "https://api"));

        transitions.accept(Deployment.accepted(id, "https://example.com/a.git", null, "shop", build, NOW), LEASE);

        assertThat(store.find(id).orElseThrow().build()).isEqualTo(build);
        assertThat(redisServer.redis().hget("deployment:" + id, "env.API_URL")).isEqualTo("https://api");
    }

    @Test
    void creatingTheSameIdTwiceIsRefused() {
        DeploymentId id = DeploymentId.random();
        transitions.accept(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW), LEASE);

        assertThatThrownBy(() -> transitions.accept(
                        Deployment.accepted(id, "https://example.com/b.git", null, null, NOW), LEASE))
                .isInstanceOf(IllegalStateException.class);
        assertThat(store.find(id).orElseThrow().repoUrl()).isEqualTo("https://example.com/a.git");
    }

    @Test
    void walksForwardThroughEveryStateWithTimestamps() {
        DeploymentId id = DeploymentId.random();
        transitions.accept(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW), LEASE);

        assertThat(transitions.upload(id, "abc123")).isTrue();
        assertThat(transitions.start(id, "").moved()).isTrue();
        assertThat(transitions.deploy(id, "").moved()).isTrue();

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
        transitions.accept(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW), LEASE);
        transitions.upload(id, "abc123");
        transitions.start(id, "");
        transitions.deploy(id, "");

        DeploymentTransitions.Transition again = transitions.start(id, "");
        DeploymentTransitions.Transition failedLate = transitions.fail(id, "late failure");

        assertThat(again.moved()).isFalse();
        assertThat(again.previous()).contains(DeploymentState.DEPLOYED);
        assertThat(failedLate.moved()).isFalse();
        assertThat(store.state(id)).contains(DeploymentState.DEPLOYED);
        assertThat(store.find(id).orElseThrow().error()).isNull();
    }

    @Test
    void everyMoveIsToldOnTheEventsStreamInTheSameStep() {
        DeploymentId id = DeploymentId.random();
        transitions.accept(Deployment.accepted(id, "https://example.com/a.git", null, "shop", NOW), LEASE);
        transitions.upload(id, "abc123");
        transitions.start(id, "replica-w1");
        transitions.deploy(id, "replica-w1");
        transitions.fail(id, "too late: nothing moves");

        List<Map<String, String>> events =
                redisServer.redis().xrange("deployment-events", io.lettuce.core.Range.create("-", "+")).stream()
                        .map(io.lettuce.core.StreamMessage::getBody)
                        .toList();

        assertThat(events)
                .extracting(event -> event.get("state"))
                .containsExactly("cloning", "uploaded", "building", "deployed");
        assertThat(events)
                .extracting(event -> event.get("previous"))
                .containsExactly("", "cloning", "uploaded", "building");
        assertThat(events)
                .allSatisfy(event ->
                        assertThat(event).containsEntry("id", id.value()).containsEntry("project", "shop"));
    }

    @Test
    void uploadedAndQueuedHappenTogether() {
        DeploymentId id = DeploymentId.random();
        transitions.accept(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW), LEASE);

        assertThat(transitions.upload(id, "abc123")).isTrue();

        assertThat(store.state(id)).contains(DeploymentState.UPLOADED);
        assertThat(store.find(id).orElseThrow().commit()).isEqualTo("abc123");
        assertThat(redisServer.redis().lrange("build-queue", 0, -1)).containsExactly(id.value());
    }

    @Test
    void aRetriedUploadAndEnqueueThatAlreadyWentThroughAnswersTrueAndQueuesOnce() {
        DeploymentId id = DeploymentId.random();
        transitions.accept(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW), LEASE);
        transitions.upload(id, "abc123");

        assertThat(transitions.upload(id, "abc123")).isTrue();
        assertThat(transitions.upload(id, "def456")).isFalse();

        assertThat(store.find(id).orElseThrow().commit()).isEqualTo("abc123");
        assertThat(redisServer.redis().lrange("build-queue", 0, -1)).containsExactly(id.value());
    }

    @Test
    void aFailedFetchFailsOnlyADeploymentStillCloningNeverOneQueuedMeanwhile() {
        DeploymentId cloning = DeploymentId.random();
        DeploymentId queued = DeploymentId.random();
        transitions.accept(Deployment.accepted(cloning, "https://example.com/a.git", null, null, NOW), LEASE);
        transitions.accept(Deployment.accepted(queued, "https://example.com/a.git", null, null, NOW), LEASE);
        transitions.upload(queued, "abc123"); // its fetcher went on past its lease, or the reply was lost

        assertThat(transitions.failFetch(cloning, "abandoned").moved()).isTrue();
        DeploymentTransitions.Transition late = transitions.failFetch(queued, "abandoned");

        assertThat(store.find(cloning).orElseThrow())
                .extracting(Deployment::status, Deployment::error)
                .containsExactly(DeploymentState.FAILED, "abandoned");
        assertThat(late.moved()).isFalse();
        assertThat(late.previous()).contains(DeploymentState.UPLOADED);
        assertThat(store.state(queued)).contains(DeploymentState.UPLOADED);
        assertThat(redisServer.redis().lrange("build-queue", 0, -1)).containsExactly(queued.value());
        assertThat(transitions.start(queued, "w1").moved()).isTrue();
        assertThat(transitions.failFetch(queued, "abandoned").moved()).isFalse();
    }

    @Test
    void aDeploymentThatIsNoLongerCloningIsNotQueued() {
        DeploymentId id = DeploymentId.random();
        transitions.accept(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW), LEASE);
        transitions.fail(id, "gave up");

        assertThat(transitions.upload(id, "abc123")).isFalse();

        assertThat(store.state(id)).contains(DeploymentState.FAILED);
        assertThat(redisServer.redis().llen("build-queue")).isZero();
    }

    @Test
    void acceptingRecordsTheDeploymentItsFetchLeaseAndItsPlaceInTheProjectsHistoryInOneStep() {
        DeploymentId id = DeploymentId.random();

        transitions.accept(Deployment.accepted(id, "https://example.com/a.git", null, "shop", NOW), LEASE);

        assertThat(redisServer.redis().zscore("cloning-leases", id.value()))
                .isEqualTo((double) NOW.plus(LEASE).toEpochMilli());
        assertThat(redisServer.redis().zscore("project:shop:deployments", id.value()))
                .isEqualTo((double) NOW.toEpochMilli());
        assertThat(redisServer.redis().zscore("deployments", id.value())).isEqualTo((double) NOW.toEpochMilli());
        assertThat(store.state(id)).contains(DeploymentState.CLONING);
    }

    @Test
    void theFetchLeaseEndsWhenTheDeploymentIsQueuedOrCancelled() {
        DeploymentId queued = DeploymentId.random();
        DeploymentId cancelled = DeploymentId.random();
        transitions.accept(Deployment.accepted(queued, "https://example.com/a.git", null, null, NOW), LEASE);
        transitions.accept(Deployment.accepted(cancelled, "https://example.com/a.git", null, null, NOW), LEASE);

        transitions.upload(queued, "abc123");
        transitions.cancel(cancelled, Move.CANCEL, "no longer wanted");

        assertThat(redisServer.redis().zcard("cloning-leases")).isZero();
    }

    @Test
    void onlyTheLatestBuilderOfARedeliveredIdCanMarkItDeployed() {
        DeploymentId id = DeploymentId.random();
        transitions.accept(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW), LEASE);
        transitions.upload(id, "abc");
        transitions.start(id, "replica-a-w1");
        takeOver(id, "replica-b-w1");

        assertThat(store.isBuildingBy(id, "replica-a-w1")).isFalse();
        assertThat(store.isBuildingBy(id, "replica-b-w1")).isTrue();
        DeploymentTransitions.Transition zombie = transitions.deploy(id, "replica-a-w1");
        DeploymentTransitions.Transition owner = transitions.deploy(id, "replica-b-w1");

        assertThat(zombie.moved()).isFalse();
        assertThat(zombie.previous()).contains(DeploymentState.BUILDING);
        assertThat(owner.moved()).isTrue();
        assertThat(store.state(id)).contains(DeploymentState.DEPLOYED);
    }

    @Test
    void aRetriedMarkDeployedThatAlreadyWentThroughAnswersMovedOnlyToItsBuilder() {
        DeploymentId id = DeploymentId.random();
        transitions.accept(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW), LEASE);
        transitions.upload(id, "abc");
        transitions.start(id, "replica-a-w1");
        takeOver(id, "replica-b-w1");
        transitions.deploy(id, "replica-b-w1");

        DeploymentTransitions.Transition retried = transitions.deploy(id, "replica-b-w1");
        DeploymentTransitions.Transition zombie = transitions.deploy(id, "replica-a-w1");

        assertThat(retried.moved()).isTrue();
        assertThat(zombie.moved()).isFalse();
        assertThat(zombie.previous()).contains(DeploymentState.DEPLOYED);
        assertThat(store.state(id)).contains(DeploymentState.DEPLOYED);
    }

    @Test
    void aBuilderThatWasReplacedCannotFailTheBuildThatTookItOver() {
        DeploymentId id = DeploymentId.random();
        transitions.accept(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW), LEASE);
        transitions.upload(id, "abc");
        transitions.start(id, "replica-a-w1");
        takeOver(id, "replica-b-w1");

        DeploymentTransitions.Transition zombie = transitions.failBuild(id, "replica-a-w1", "killed");

        assertThat(zombie.moved()).isFalse();
        assertThat(zombie.previous()).contains(DeploymentState.BUILDING);
        assertThat(store.find(id).orElseThrow())
                .extracting(Deployment::status, Deployment::error)
                .containsExactly(DeploymentState.BUILDING, null);
        assertThat(store.isBuildingBy(id, "replica-b-w1")).isTrue();
    }

    @Test
    void aBuildFailedByItsBuilderKeepsTheReasonAndARetryAnswersMovedOnlyToThatBuilder() {
        DeploymentId id = DeploymentId.random();
        transitions.accept(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW), LEASE);
        transitions.upload(id, "abc");
        transitions.start(id, "replica-b-w1");

        DeploymentTransitions.Transition failed = transitions.failBuild(id, "replica-b-w1", "npm run build exited 1");
        DeploymentTransitions.Transition retried = transitions.failBuild(id, "replica-b-w1", "npm run build exited 1");
        DeploymentTransitions.Transition other = transitions.failBuild(id, "replica-a-w1", "killed");

        assertThat(failed.moved()).isTrue();
        assertThat(failed.previous()).contains(DeploymentState.BUILDING);
        assertThat(retried.moved()).isTrue();
        assertThat(other.moved()).isFalse();
        assertThat(store.find(id).orElseThrow())
                .extracting(Deployment::status, Deployment::error)
                .containsExactly(DeploymentState.FAILED, "npm run build exited 1");
    }

    @Test
    void aBuilderCannotFailADeploymentThatIsNotBuilding() {
        DeploymentId id = DeploymentId.random();
        transitions.accept(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW), LEASE);
        transitions.upload(id, "abc");

        assertThat(transitions.failBuild(id, "", "no build").moved()).isFalse();
        assertThat(store.state(id)).contains(DeploymentState.UPLOADED);
    }

    @Test
    void supersedingAWaitingDeploymentKeepsTheReasonTakesItOffTheQueueAndACloningOneIsNeverQueuedAfterwards() {
        DeploymentId cloning = DeploymentId.random();
        DeploymentId uploaded = DeploymentId.random();
        transitions.accept(Deployment.accepted(cloning, "https://example.com/a.git", null, null, NOW), LEASE);
        transitions.accept(Deployment.accepted(uploaded, "https://example.com/a.git", null, null, NOW), LEASE);
        transitions.upload(uploaded, "abc123");

        assertThat(transitions.cancel(cloning, Move.SUPERSEDE, "superseded").moved())
                .isTrue();
        assertThat(transitions.cancel(uploaded, Move.SUPERSEDE, "superseded").previous())
                .contains(DeploymentState.UPLOADED);

        assertThat(transitions.upload(cloning, "def456")).isFalse();
        assertThat(store.find(cloning).orElseThrow())
                .extracting(Deployment::status, Deployment::error)
                .containsExactly(DeploymentState.CANCELLED, "superseded");
        assertThat(redisServer.redis().llen("build-queue"))
                .as("it left the queue in the same step")
                .isZero();
    }

    @Test
    void aBuildingOrFinishedDeploymentIsNotCancelled() {
        DeploymentId building = DeploymentId.random();
        transitions.accept(Deployment.accepted(building, "https://example.com/a.git", null, null, NOW), LEASE);
        transitions.upload(building, "abc123");
        transitions.start(building, "");

        assertThat(transitions.cancel(building, Move.SUPERSEDE, "superseded").moved())
                .isFalse();
        assertThat(store.state(building)).contains(DeploymentState.BUILDING);
    }

    @Test
    void failureKeepsItsReason() {
        DeploymentId id = DeploymentId.random();
        transitions.accept(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW), LEASE);

        transitions.fail(id, "repository not found");

        assertThat(store.find(id).orElseThrow())
                .extracting(Deployment::status, Deployment::error)
                .containsExactly(DeploymentState.FAILED, "repository not found");
    }

    @Test
    void transitionOfAnUnknownIdMovesNothing() {
        DeploymentTransitions.Transition transition = transitions.start(DeploymentId.random(), "");

        assertThat(transition.moved()).isFalse();
        assertThat(transition.previous()).isEmpty();
    }

    @Test
    void listsTheNewestFirst() {
        DeploymentId older = DeploymentId.random();
        DeploymentId newer = DeploymentId.random();
        transitions.accept(Deployment.accepted(older, "https://example.com/a.git", null, null, NOW), LEASE);
        transitions.accept(
                Deployment.accepted(newer, "https://example.com/b.git", null, null, NOW.plusSeconds(1)), LEASE);

        assertThat(store.newest(10)).extracting(Deployment::id).containsExactly(newer, older);
        assertThat(store.newest(1)).extracting(Deployment::id).containsExactly(newer);
    }

    @Test
    void scriptsStillRunAfterRedisForgetsThem() {
        DeploymentId id = DeploymentId.random();
        transitions.accept(Deployment.accepted(id, "https://example.com/a.git", null, null, NOW), LEASE);
        redisServer.redis().scriptFlush();

        assertThat(transitions.upload(id, "abc")).isTrue();
    }

    /** The id was delivered again to {@code builder} (a reaped builder's id, taken from the queue), which starts it. */
    private void takeOver(DeploymentId id, String builder) {
        redisServer.redis().lpush("build-queue:processing:" + builder, id.value());
        assertThat(transitions.start(id, builder).moved()).isTrue();
    }
}
