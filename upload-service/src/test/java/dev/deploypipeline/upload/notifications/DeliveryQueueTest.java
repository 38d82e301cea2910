package dev.deploypipeline.upload.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.testing.PipelineServers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The delivery queue's claims against a real Redis: a target one sender holds is held for every other, whatever
 * their clocks say, until the holder records its try or its lease lapses by Redis's clock; and a holder whose lease
 * lapsed ends nobody else's; and a target's queue holds at most its most waiting, dropping its oldest but never the
 * one a sender is trying.
 */
class DeliveryQueueTest {

    private static final Duration LEASE = Duration.ofSeconds(40);
    private static final int MAX_WAITING = 3;
    private static final AtomicInteger TARGETS = new AtomicInteger();

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    private final DeliveryQueue queue = new DeliveryQueue(
            servers.connector(),
            NotifySettingsTest.settings(Duration.ofSeconds(10), Duration.ofSeconds(10), 5, MAX_WAITING));

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

    @Test
    void aFloodedTargetHoldsItsNewestAndTheOneInFlightAndListsTheOldestFailed() {
        Instant now = Instant.now();
        NotificationTarget target = targetWithDeliveries(1, now);
        DeliveryQueue.Claim sending = queue.claim(now, LEASE).orElseThrow();
        String inFlight = queue.head(target.queueMember()).orElseThrow();

        for (int i = 1; i <= 6; i++) {
            enqueue(queue, target, id(target, i), now);
        }

        assertThat(waiting(target)).containsExactly(inFlight, id(target, 5), id(target, 6));
        for (int i = 1; i <= 4; i++) {
            assertDropped(id(target, i));
        }
        queue.finish(sending, inFlight, now, Map.of("state", Delivery.DELIVERED));
        assertThat(queue.find(inFlight).orElseThrow().get("state")).isEqualTo(Delivery.DELIVERED);
        assertThat(waiting(target)).containsExactly(id(target, 5), id(target, 6));
    }

    @Test
    void aFloodedTargetNoSenderHoldsDropsItsOldest() {
        Instant now = Instant.now();

        NotificationTarget target = targetWithDeliveries(5, now);

        assertThat(waiting(target)).containsExactly(id(target, 2), id(target, 3), id(target, 4));
        assertDropped(id(target, 0));
        assertDropped(id(target, 1));
        assertThat(queue.newest(target.project(), 10))
                .extracting(d -> d.get("state"))
                .containsExactly(
                        Delivery.PENDING, Delivery.PENDING, Delivery.PENDING, Delivery.FAILED, Delivery.FAILED);
    }

    @Test
    void aDroppedHeadThatWaitedOutAPauseLeavesTheNextDueAtOnce() {
        Instant now = Instant.now();
        NotificationTarget target = targetWithDeliveries(MAX_WAITING, now);
        DeliveryQueue.Claim tried = queue.claim(now, LEASE).orElseThrow();
        String head = queue.head(target.queueMember()).orElseThrow();
        queue.retryAt(tried, head, now, now.plus(Duration.ofSeconds(80)), Map.of());

        enqueue(queue, target, id(target, MAX_WAITING), now);

        assertDropped(head);
        assertThat(queue.claim(now, LEASE))
                .as("the next delivery, not after the dropped one's pause")
                .map(DeliveryQueue.Claim::member)
                .hasValue(target.queueMember());
    }

    @Test
    void aQueueOfOneWhoseHeadIsBeingTriedDropsTheNewDeliveryInstead() {
        Instant now = Instant.now();
        NotificationTarget target = targetWithDeliveries(1, now);
        queue.claim(now, LEASE).orElseThrow();
        DeliveryQueue queueOfOne = new DeliveryQueue(
                servers.connector(), NotifySettingsTest.settings(Duration.ofSeconds(10), Duration.ofSeconds(10), 5, 1));

        enqueue(queueOfOne, target, id(target, 1), now);

        assertThat(waiting(target)).containsExactly(id(target, 0));
        assertThat(queue.find(id(target, 1)).orElseThrow().get("lastError"))
                .startsWith("dropped: more than 1 deliveries");
    }

    private void assertDropped(String id) {
        Delivery dropped = queue.find(id).orElseThrow();
        assertThat(dropped.get("state")).as(id).isEqualTo(Delivery.FAILED);
        assertThat(dropped.get("lastError"))
                .isEqualTo("dropped: more than 3 deliveries were waiting for this target (NOTIFY_MAX_WAITING)");
        assertThat(servers.redis().ttl("notification:" + id))
                .isCloseTo(DeliveryQueue.KEPT_AFTER_END.toSeconds(), Offset.offset(60L));
    }

    private List<String> waiting(NotificationTarget target) {
        return servers.redis().lrange("notification-queue:" + target.queueMember(), 0, -1);
    }

    /** A target of a project of its own with {@code count} deliveries waiting, due at {@code now}. */
    private NotificationTarget targetWithDeliveries(int count, Instant now) {
        int n = TARGETS.incrementAndGet();
        NotificationTarget target = target("t" + n, "queue-test-" + n, now);
        for (int i = 0; i < count; i++) {
            enqueue(queue, target, id(target, i), now);
        }
        return target;
    }

    /** A webhook told of succeeded deployments, which is never sent to in these tests. */
    static NotificationTarget target(String id, String project, Instant now) {
        return new NotificationTarget(
                id,
                project,
                TargetType.WEBHOOK,
                "http://127.0.0.1:9/",
                "secret",
                null,
                Set.of(NotificationEvent.SUCCEEDED),
                now.toString());
    }

    static void enqueue(DeliveryQueue queue, NotificationTarget target, String id, Instant now) {
        assertThat(queue.enqueue(
                        target,
                        DeliveryQueue.newDelivery(id, target, NotificationEvent.SUCCEEDED, "d-" + id, "{}", now),
                        now))
                .as(id)
                .isTrue();
    }

    private static String id(NotificationTarget target, int i) {
        return target.project() + "-" + i;
    }
}
