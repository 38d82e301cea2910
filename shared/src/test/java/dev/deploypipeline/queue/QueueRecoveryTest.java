package dev.deploypipeline.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.testing.RedisExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class QueueRecoveryTest {

    private static final Duration BLOCK = Duration.ofMillis(200);

    @RegisterExtension
    static final RedisExtension redisServer = new RedisExtension();

    private DeploymentStore store;
    private DeploymentTransitions transitions;
    private DeploymentQueue queue;
    private QueueRecovery recovery;

    @BeforeEach
    void freshAdapters() {
        store = new DeploymentStore(redisServer.connector());
        transitions = new DeploymentTransitions(redisServer.connector(), Clock.systemUTC());
        queue = new RedisDeploymentQueue(redisServer.connector(), transitions);
        recovery = new QueueRecovery(redisServer.connector(), transitions, Clock.systemUTC());
    }

    @Test
    void requeuesIdsOfConsumersWhoseHeartbeatExpiredAtTheEndTakenNext() {
        DeploymentId stranded = queuedDeployment();
        DeploymentId waiting = queuedDeployment();
        try (QueueConsumer dead = queue.consumer("dead-w1")) {
            assertThat(dead.take(BLOCK)).contains(stranded);
            transitions.start(stranded, "dead-w1");
        }

        Optional<DeploymentTransitions.Reaped> reaped = recovery.reap("reaper", Duration.ofSeconds(10), 3);

        assertThat(reaped).hasValueSatisfying(r -> assertThat(r.requeued()).containsExactly(stranded));
        assertThat(redisServer.redis().exists("build-queue:processing:dead-w1")).isZero();
        assertThat(store.find(stranded).orElseThrow())
                .extracting(Deployment::status, Deployment::attempts)
                .containsExactly(DeploymentState.UPLOADED, 1);
        try (QueueConsumer next = queue.consumer("next-w1")) {
            assertThat(next.take(BLOCK)).contains(stranded);
            next.done(stranded);
            assertThat(next.take(BLOCK)).contains(waiting);
        }
    }

    @Test
    void aLateStartFromAReapedConsumerLeavesTheBuildWithTheConsumerHoldingIt() {
        DeploymentId id = queuedDeployment();
        try (QueueConsumer slow = queue.consumer("slow-w1")) {
            assertThat(slow.take(BLOCK)).contains(id); // its START is held up past its heartbeat: it is reaped
            recovery.reap("reaper", Duration.ofSeconds(10), 3);
            try (QueueConsumer next = queue.consumer("next-w1")) {
                assertThat(next.take(BLOCK)).contains(id);
                assertThat(transitions.start(id, "next-w1").moved()).isTrue();
            }

            DeploymentTransitions.Transition late = transitions.start(id, "slow-w1");

            assertThat(late.moved()).isFalse();
            assertThat(late.previous()).contains(DeploymentState.BUILDING);
            assertThat(store.isBuildingBy(id, "next-w1")).isTrue();
            assertThat(redisServer.redis().lrange("build-queue:processing:next-w1", 0, -1))
                    .containsExactly(id.value());
        }
    }

    @Test
    void leavesTheIdsOfLiveConsumersAlone() {
        DeploymentId building = queuedDeployment();
        recovery.heartbeat(List.of("live-w1"), Duration.ofSeconds(30));
        try (QueueConsumer live = queue.consumer("live-w1")) {
            assertThat(live.take(BLOCK)).contains(building);
        }

        recovery.reap("reaper", Duration.ofSeconds(10), 3);

        assertThat(redisServer.redis().lrange("build-queue:processing:live-w1", 0, -1))
                .containsExactly(building.value());
        assertThat(queue.length()).isZero();
    }

    @Test
    void givesUpOnAnIdPutBackTooManyTimesAndAnOperatorCanRequeueIt() {
        DeploymentId poison = queuedDeployment();
        for (int attempt = 1; attempt <= 3; attempt++) {
            takeAndDie(poison, "crashing-" + attempt);
            recovery.reap("reaper", Duration.ofSeconds(10), 2);
        }

        Deployment failed = store.find(poison).orElseThrow();
        assertThat(failed.status()).isEqualTo(DeploymentState.FAILED);
        assertThat(failed.error()).contains("gave up after 2 attempts");
        assertThat(recovery.deadLetters()).containsExactly(poison);
        assertThat(queue.length()).isZero();

        assertThat(transitions.requeue(poison)).isTrue();

        assertThat(recovery.deadLetters()).isEmpty();
        assertThat(store.find(poison).orElseThrow())
                .extracting(Deployment::status, Deployment::attempts, Deployment::error)
                .containsExactly(DeploymentState.UPLOADED, 0, null);
        assertThat(queue.position(poison)).hasValue(0);
        assertThat(transitions.requeue(poison)).isFalse();
    }

    @Test
    void consumerStartedAgainUnderItsNameRequeuesWhatItHeldWithOneMoreAttemptThoughItsHeartbeatLives() {
        DeploymentId held = queuedDeployment();
        recovery.heartbeat(List.of("pod-w1"), Duration.ofSeconds(30));
        takeAndDie(held, "pod-w1");

        DeploymentTransitions.Reaped reclaimed = recovery.reclaim(List.of("pod-w1"), 3);

        assertThat(reclaimed.requeued()).containsExactly(held);
        assertThat(redisServer.redis().exists("build-queue:processing:pod-w1")).isZero();
        assertThat(store.find(held).orElseThrow())
                .extracting(Deployment::status, Deployment::attempts)
                .containsExactly(DeploymentState.UPLOADED, 1);
        assertThat(queue.position(held)).hasValue(0);
    }

    @Test
    void deploymentThatCrashesItsReplicaEveryTimeIsGivenUpOnThoughTheReplicaRestartsUnderItsName() {
        DeploymentId poison = queuedDeployment();
        for (int restart = 1; restart <= 3; restart++) {
            recovery.heartbeat(List.of("pod-w1"), Duration.ofSeconds(30));
            takeAndDie(poison, "pod-w1");
            recovery.reclaim(List.of("pod-w1"), 2);
        }

        Deployment failed = store.find(poison).orElseThrow();
        assertThat(failed.status()).isEqualTo(DeploymentState.FAILED);
        assertThat(failed.error()).contains("gave up after 2 attempts");
        assertThat(recovery.deadLetters()).containsExactly(poison);
        assertThat(queue.length()).isZero();
    }

    @Test
    void onlyOneReplicaReapsAtATime() {
        redisServer.redis().set("build-queue:reaper-lock", "other-replica");

        assertThat(recovery.reap("me", Duration.ofSeconds(10), 3)).isEmpty();
        assertThat(redisServer.redis().get("build-queue:reaper-lock")).isEqualTo("other-replica");
    }

    @Test
    void givenBackIdWaitsAgainAndIsTakenNext() {
        DeploymentId interrupted = queuedDeployment();
        DeploymentId waiting = queuedDeployment();
        try (QueueConsumer stopping = queue.consumer("stopping-w1")) {
            assertThat(stopping.take(BLOCK)).contains(interrupted);
            transitions.start(interrupted, "stopping-w1");

            stopping.giveBack(interrupted);
        }

        assertThat(redisServer.redis().exists("build-queue:processing:stopping-w1"))
                .isZero();
        assertThat(store.state(interrupted)).contains(DeploymentState.UPLOADED);
        try (QueueConsumer next = queue.consumer("next-w1")) {
            assertThat(next.take(BLOCK)).contains(interrupted);
            next.done(interrupted);
            assertThat(next.take(BLOCK)).contains(waiting);
        }
    }

    private void takeAndDie(DeploymentId id, String consumer) {
        try (QueueConsumer dying = queue.consumer(consumer)) {
            assertThat(dying.take(BLOCK)).contains(id);
            transitions.start(id, consumer);
        }
    }

    private DeploymentId queuedDeployment() {
        DeploymentId id = DeploymentId.random();
        transitions.accept(
                Deployment.accepted(id, "https://example.com/a.git", null, null, java.time.Instant.now()),
                Duration.ofMinutes(1));
        assertThat(transitions.upload(id, "abc")).isTrue();
        return id;
    }
}
