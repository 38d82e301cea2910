package dev.deploypipeline.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.testing.RedisExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisDeploymentQueueTest {

    @RegisterExtension
    static final RedisExtension redisServer = new RedisExtension();

    private DeploymentTransitions transitions;
    private DeploymentQueue queue;

    @BeforeEach
    void freshAdapters() {
        transitions = new DeploymentTransitions(redisServer.connector(), Clock.systemUTC());
        queue = new RedisDeploymentQueue(redisServer.connector(), transitions);
    }

    @Test
    void consumerTakesTheOldestIdFirst() {
        List<DeploymentId> ids = List.of(DeploymentId.random(), DeploymentId.random(), DeploymentId.random());
        ids.forEach(this::enqueue);

        List<DeploymentId> taken = new ArrayList<>();
        try (QueueConsumer consumer = queue.consumer("c1")) {
            for (int i = 0; i < ids.size(); i++) {
                consumer.take(Duration.ofSeconds(1)).ifPresent(id -> {
                    taken.add(id);
                    consumer.done(id);
                });
            }
        }

        assertThat(taken).containsExactlyElementsOf(ids);
    }

    @Test
    void takenIdWaitsInTheConsumersProcessingListUntilDone() {
        DeploymentId id = DeploymentId.random();
        enqueue(id);

        try (QueueConsumer consumer = queue.consumer("c1")) {
            assertThat(consumer.take(Duration.ofSeconds(1))).contains(id);
            assertThat(redisServer.redis().lrange("build-queue:processing:c1", 0, -1))
                    .containsExactly(id.value());
            assertThat(redisServer.redis().llen("build-queue")).isZero();

            consumer.done(id);
        }

        assertThat(redisServer.redis().exists("build-queue:processing:c1")).isZero();
    }

    @Test
    void takeResumesAnIdLeftUnfinishedInItsOwnProcessingListBeforeTakingANewOne() {
        DeploymentId unfinished = DeploymentId.random();
        DeploymentId waiting = DeploymentId.random();
        redisServer.redis().lpush("build-queue:processing:c1", unfinished.value());
        enqueue(waiting);

        try (QueueConsumer consumer = queue.consumer("c1")) {
            assertThat(consumer.take(Duration.ofSeconds(1))).contains(unfinished);
            consumer.done(unfinished);
            assertThat(consumer.take(Duration.ofSeconds(1))).contains(waiting);
        }
    }

    @Test
    void takeReturnsEmptyWhenNothingArrivesWithinTheBlock() {
        try (QueueConsumer consumer = queue.consumer("c1")) {
            assertThat(consumer.take(Duration.ofMillis(200))).isEmpty();
        }
    }

    @Test
    void blockedTakeReceivesAnIdPushedWhileItWaits() throws Exception {
        DeploymentId id = DeploymentId.random();
        try (QueueConsumer consumer = queue.consumer("c1")) {
            Thread producer = new Thread(() -> {
                await().atMost(Duration.ofSeconds(5))
                        .until(() ->
                                redisServer.redis().clientList().lines().anyMatch(line -> line.contains("cmd=blmove")));
                enqueue(id);
            });
            producer.start();
            Optional<DeploymentId> taken = consumer.take(Duration.ofSeconds(5));
            producer.join();
            assertThat(taken).contains(id);
        }
    }

    @Test
    void refusesABlockAsLongAsTheClientTimeout() {
        try (QueueConsumer consumer = queue.consumer("c1")) {
            assertThatThrownBy(() ->
                            consumer.take(redisServer.connector().settings().commandTimeout()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("shorter than the command timeout");
        }
    }

    @Test
    void dropsQueueEntriesThatAreNotDeploymentIds() {
        redisServer.redis().lpush("build-queue", "../../etc/passwd");
        try (QueueConsumer consumer = queue.consumer("c1")) {
            assertThat(consumer.take(Duration.ofSeconds(1))).isEmpty();
        }
        assertThat(redisServer.redis().llen("build-queue:processing:c1")).isZero();
    }

    @Test
    void positionCountsTheIdsAheadOfAWaitingOne() {
        DeploymentId first = DeploymentId.random();
        DeploymentId second = DeploymentId.random();
        DeploymentId third = DeploymentId.random();
        List.of(first, second, third).forEach(this::enqueue);

        assertThat(queue.position(first)).hasValue(0);
        assertThat(queue.position(third)).hasValue(2);
        assertThat(queue.position(DeploymentId.random())).isEmpty();
        assertThat(queue.length()).isEqualTo(3);
    }

    /** Queued the one way there is: a deployment whose sources are uploaded. */
    private void enqueue(DeploymentId id) {
        transitions.accept(
                Deployment.accepted(id, "https://example.com/a.git", null, null, Instant.now()), Duration.ofMinutes(1));
        transitions.upload(id, "abc");
    }
}
