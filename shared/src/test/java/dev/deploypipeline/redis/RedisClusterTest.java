package dev.deploypipeline.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentEvents;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentState.Move;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.queue.DeploymentQueue;
import dev.deploypipeline.queue.QueueConsumer;
import dev.deploypipeline.queue.QueueRecovery;
import dev.deploypipeline.queue.RedisDeploymentQueue;
import dev.deploypipeline.testing.RedisClusterServer;
import dev.deploypipeline.testing.Teardown;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.XReadArgs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The shared library's every step on a real Redis Cluster of three masters with a replica each, with the key prefix
 * {@code {deploy}:} the README gives for one; and what a master lost under it does.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterTest {

    private static final String TAG = "{deploy}:";
    private static final Duration BLOCK = Duration.ofMillis(500);
    private static final Clock CLOCK = Clock.systemUTC();

    @AutoClose
    private static final Teardown teardown = new Teardown();

    private static RedisClusterServer cluster;
    private static RedisConnector redis;
    private static DeploymentTransitions transitions;
    private static DeploymentStore store;
    private static DeploymentQueue queue;

    @BeforeAll
    static void startCluster() {
        cluster = teardown.add(RedisClusterServer.start());
        redis = teardown.add(new RedisConnector(cluster.settings(TAG)));
        transitions = new DeploymentTransitions(redis, CLOCK);
        store = new DeploymentStore(redis);
        queue = new RedisDeploymentQueue(redis, transitions);
    }

    @BeforeEach
    void emptyCluster() {
        redis.shared().sync().flushall();
    }

    @Test
    @Order(1)
    void everyStepOfADeploymentAndOfItsProjectRunsOnTheCluster() {
        ProjectStore projects = new ProjectStore(redis);
        ProjectName shop = new ProjectName("shop");
        projects.save(
                new Project(shop, "https://example.com/shop.git", "main", BuildSettings.NONE, false, Instant.now()));
        DeploymentId built = uploaded("shop");
        DeploymentId waiting = uploaded(null);
        assertThat(queue.position(built)).hasValue(0);
        assertThat(queue.position(waiting)).hasValue(1);
        assertThat(queue.waiting(10)).containsExactly(built, waiting);

        try (QueueConsumer worker = queue.consumer("replica-w1")) {
            assertThat(worker.take(BLOCK)).contains(built);
            transitions.start(built, "replica-w1");
            assertThat(transitions.deploy(built, "replica-w1").moved()).isTrue();
            assertThat(projects.promote(shop, built)).isTrue();
            assertThat(projects.pointAliasAt(shop, built)).isTrue();
            worker.done(built);
            assertThat(worker.take(BLOCK)).contains(waiting);
            assertThat(transitions.giveBack("replica-w1", waiting)).isTrue();
        }
        assertThat(transitions.cancel(waiting, Move.CANCEL, "not wanted").moved())
                .isTrue();

        assertThat(store.find(built).map(Deployment::status)).contains(DeploymentState.DEPLOYED);
        assertThat(projects.aliasTarget(shop)).contains(built);
        assertThat(store.find(waiting).map(Deployment::status)).contains(DeploymentState.CANCELLED);
        assertThat(new DeploymentEvents(redis).since(Instant.EPOCH, 100))
                .extracting(event -> event.state().word())
                .contains("cloning", "uploaded", "building", "deployed", "cancelled");
        assertThat(queue.length()).isZero();
        assertThat(redis.shared().sync().keys("*")).allMatch(key -> key.startsWith(TAG));
    }

    @Test
    @Order(2)
    void theIdsOfAConsumerThatDiedAreReapedAndADeadLetterQueuedAgain() {
        QueueRecovery recovery = new QueueRecovery(redis, transitions, CLOCK);
        DeploymentId stranded = uploaded(null);
        try (QueueConsumer dead = queue.consumer("dead-w1")) {
            assertThat(dead.take(BLOCK)).contains(stranded);
            transitions.start(stranded, "dead-w1");
        }

        assertThat(recovery.reap("reaper", Duration.ofSeconds(10), 1))
                .hasValueSatisfying(r -> assertThat(r.requeued()).containsExactly(stranded));
        try (QueueConsumer dead = queue.consumer("dead-w2")) {
            assertThat(dead.take(BLOCK)).contains(stranded);
            transitions.start(stranded, "dead-w2");
        }
        assertThat(recovery.reap("reaper", Duration.ofSeconds(10), 1))
                .hasValueSatisfying(r -> assertThat(r.deadLettered()).containsExactly(stranded));
        assertThat(recovery.deadLetters()).containsExactly(stranded);
        assertThat(transitions.requeue(stranded)).isTrue();
        assertThat(queue.waiting(10)).containsExactly(stranded);
        assertThat(recovery.consumers())
                .extracting(QueueRecovery.ConsumerState::name)
                .doesNotContain("dead-w1", "dead-w2");
    }

    @Test
    @Order(3)
    void aReadBlockedOnTheNodeOfItsStreamIsWokenThroughThatNode() throws Exception {
        String stream = redis.keys().buildLog("wakeme");
        try (RedisConnection reader = redis.connect()) {
            long id = reader.clientIdAt(stream);
            var read = reader.async()
                    .xread(XReadArgs.Builder.block(Duration.ofSeconds(8)), XReadArgs.StreamOffset.latest(stream));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> redis.shared()
                            .forPattern(stream)
                            .clientList()
                            .lines()
                            .anyMatch(client -> client.startsWith("id=" + id + " ") && client.contains(" flags=b ")));
            long started = System.nanoTime();

            redis.shared().unblock(stream, id);

            assertThat(read.get(5, TimeUnit.SECONDS)).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    @Order(4)
    void withoutAHashTagTheClusterRefusesAStepWhoseKeysAreInSeveralSlots() {
        try (RedisConnector untagged = new RedisConnector(cluster.settings(""))) {
            DeploymentTransitions steps = new DeploymentTransitions(untagged, CLOCK);
            DeploymentId id = DeploymentId.random();

            assertThatThrownBy(() -> steps.accept(
                            Deployment.accepted(id, "https://example.com/a.git", null, null, Instant.now()),
                            Duration.ofMinutes(1)))
                    .isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessageContaining("CROSSSLOT");
        }
    }

    @Test
    @Order(5)
    void whenTheMasterOfTheTagDiesItsReplicaTakesOverWithEveryDeploymentAndWorkersTakeAgain() {
        DeploymentId queued = uploaded(null);
        int before = cluster.masterOf(TAG + "build-queue");

        int after = cluster.killMasterOf(TAG + "build-queue");

        assertThat(after).isNotEqualTo(before);
        DeploymentId next =
                await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> uploaded(null), id -> true);
        try (QueueConsumer worker = queue.consumer("survivor-w1")) {
            List<DeploymentId> taken = await().atMost(Duration.ofSeconds(20))
                    .ignoreExceptions()
                    .until(() -> worker.take(BLOCK).stream().toList(), ids -> !ids.isEmpty());
            assertThat(taken).containsAnyOf(queued, next);
            // The lost master is still listed (failed) until it comes back: the reaper's SCAN must not wait on it.
            assertThat(new QueueRecovery(redis, transitions, CLOCK).consumers())
                    .extracting(QueueRecovery.ConsumerState::name)
                    .containsExactly("survivor-w1");
        }
        assertThat(store.find(queued).map(Deployment::status)).isPresent();
        assertThat(redis.shared().sync().hgetall(redis.keys().status())).containsKeys(queued.value(), next.value());
    }

    /** A deployment waiting in the queue, as upload-service leaves it. */
    private static DeploymentId uploaded(String project) {
        DeploymentId id = DeploymentId.random();
        transitions.accept(
                Deployment.accepted(id, "https://example.com/site.git", null, project, Instant.now()),
                Duration.ofMinutes(1));
        assertThat(transitions.upload(id, "0123456789abcdef0123456789abcdef01234567"))
                .isTrue();
        return id;
    }
}
