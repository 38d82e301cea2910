package dev.deploypipeline.upload.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.testing.PipelineServers;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The delivery queue's claims against a real Redis: a target one sender holds is held for every other, whatever
 * their clocks say, until the holder records its try or its lease lapses by Redis's clock; and a holder whose lease
 * lapsed ends nobody else's.
 */
class DeliveryQueueTest {

    private static final Duration LEASE = Duration.ofSeconds(40);
    private static final AtomicInteger TARGETS = new AtomicInteger();

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    private final DeliveryQueue queue = new DeliveryQueue(servers.connector());

    /** Each test's targets alone are due: claims take the soonest due of all. */
    @BeforeEach
    void nothingDue() {
        servers.redis().del("notification-queue:due", "notification-queue:leases");
    }

    @Test
    void aHeldTargetIsRefusedToASenderWhoseClockRunsAheadUntilTheHolderRecordsItsTry() {
        Instant now = Instant.now();
        NotificationTarget target = targetWithDeliveries(2, now);

        Optional<DeliveryQueue.Claim> holder = queue.claim(now, LEASE);
        Optional<DeliveryQueue.Claim> ahead = queue.claim(now.plus(Duration.ofMinutes(10)), LEASE);

        assertThat(holder).map(DeliveryQueue.Claim::member).hasValue(target.queueMember());
        assertThat(ahead)
                .as("a sender ten minutes ahead, while the target is held")
                .isEmpty();
        queue.finish(holder.orElseThrow(), queue.head(target.queueMember()).orElseThrow(), now, Map.of());
        assertThat(queue.claim(now.plus(Duration.ofMinutes(10)), LEASE))
                .map(DeliveryQueue.Claim::member)
                .hasValue(target.queueMember());
    }

    @Test
    void aLeaseLapsesByRedissClockAndItsLateHolderEndsNotTheNextHoldersLease() {
        Instant now = Instant.now();
        NotificationTarget target = targetWithDeliveries(2, now);
        DeliveryQueue.Claim late = queue.claim(now, Duration.ofMillis(200)).orElseThrow();

        DeliveryQueue.Claim next = await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> queue.claim(Instant.now(), LEASE), Optional::isPresent)
                .orElseThrow();
        queue.retryAt(late, queue.head(target.queueMember()).orElseThrow(), now, now, Map.of());

        assertThat(next.member()).isEqualTo(late.member());
        assertThat(next.token()).isNotEqualTo(late.token());
        assertThat(queue.claim(now.plus(Duration.ofMinutes(10)), LEASE))
                .as("the next holder's lease, after the late holder recorded its try")
                .isEmpty();
        queue.release(next, now);
        assertThat(queue.claim(now, LEASE)).isPresent();
    }

    /** A target of a project of its own with {@code count} deliveries waiting, due at {@code now}. */
    private NotificationTarget targetWithDeliveries(int count, Instant now) {
        int n = TARGETS.incrementAndGet();
        NotificationTarget target = new NotificationTarget(
                "t" + n,
                "queue-test-" + n,
                TargetType.WEBHOOK,
                "http://127.0.0.1:9/",
                "secret",
                null,
                Set.of(NotificationEvent.SUCCEEDED),
                now.toString());
        for (int i = 0; i < count; i++) {
            String id = "queue-test-" + n + "-" + i;
            assertThat(queue.enqueue(
                            target,
                            DeliveryQueue.newDelivery(id, target, NotificationEvent.SUCCEEDED, "d" + i, "{}", now),
                            now))
                    .isTrue();
        }
        return target;
    }
}
