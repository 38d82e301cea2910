package dev.deploypipeline.upload.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.testing.RedisClusterServer;
import dev.deploypipeline.testing.Teardown;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The delivery queue's scripts on a real Redis Cluster with the README's {@code {deploy}:} prefix: a full queue's
 * enqueue touches the hashes of the deliveries it drops, which it is given in KEYS like every other key.
 */
class DeliveryQueueClusterTest {

    private static final String TAG = "{deploy}:";

    @AutoClose
    private static final Teardown teardown = new Teardown();

    private static RedisConnector redis;

    @BeforeAll
    static void startCluster() {
        RedisClusterServer cluster = teardown.add(RedisClusterServer.start());
        redis = teardown.add(new RedisConnector(cluster.settings(TAG)));
    }

    @Test
    void aFloodedTargetDropsItsOldestOnTheClusterAndItsSenderRecordsTheTryInFlight() {
        DeliveryQueue queue = new DeliveryQueue(
                redis, NotifySettingsTest.settings(Duration.ofSeconds(10), Duration.ofSeconds(10), 5, 2));
        Instant now = Instant.now();
        NotificationTarget target = DeliveryQueueTest.target("t1", "cluster-queue", now);
        DeliveryQueueTest.enqueue(queue, target, "d0", now);
        DeliveryQueue.Claim sending = queue.claim(now, Duration.ofSeconds(40)).orElseThrow();

        for (String id : new String[] {"d1", "d2", "d3"}) {
            DeliveryQueueTest.enqueue(queue, target, id, now);
        }
        queue.finish(sending, "d0", now, Map.of("state", Delivery.DELIVERED));

        assertThat(redis.shared().sync().lrange(redis.keys().notificationQueue(target.queueMember()), 0, -1))
                .containsExactly("d3");
        assertThat(queue.newest(target.project(), 10))
                .extracting(d -> d.id() + " " + d.get("state"))
                .containsExactly("d3 pending", "d2 failed", "d1 failed", "d0 delivered");
    }
}
