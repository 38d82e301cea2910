package dev.deploypipeline.upload.notifications;

import dev.deploypipeline.redis.LuaScript;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The deliveries waiting, in Redis, so they outlive any one upload-service: a list per target (oldest first, so a
 * target is told in order and one that fails holds up no other), and {@code notification-queue:due}, the targets
 * with work, scored by when the next try may go. A sender claims a due target for a lease (in {@code
 * notification-queue:leases}, by Redis's clock), tries the delivery at its head and records the outcome, which ends
 * the lease; each step is one script. A target's queue holds at most {@code NOTIFY_MAX_WAITING}: a target that never
 * answers, or answers slowly, cannot grow it without end in the shared Redis.
 */
@Component
class DeliveryQueue {

    /** How many deliveries a project's list keeps. */
    static final int KEPT_PER_PROJECT = 200;
    /** How long a delivery that is done (delivered or failed) stays to be listed. */
    static final Duration KEPT_AFTER_END = Duration.ofDays(7);

    /** Reads of a queue's oldest that an enqueue makes before giving up, should the queue move under each. */
    private static final int ENQUEUE_READS = 3;

    /** How the scripts read a sender's lease on a target, put before those that do. */
    private static final String LEASES = "_leases.lua";

    private static final LuaScript ENQUEUE =
            LuaScript.resource(DeliveryQueue.class, "enqueue-5.lua", ScriptOutputType.INTEGER, LEASES);
    private static final LuaScript CLAIM =
            LuaScript.resource(DeliveryQueue.class, "claim-2.lua", ScriptOutputType.VALUE, LEASES);
    private static final LuaScript COMPLETE =
            LuaScript.resource(DeliveryQueue.class, "complete-4.lua", ScriptOutputType.INTEGER);

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;
    private final int maxWaiting;

    DeliveryQueue(RedisConnector connector, NotifySettings settings) {
        this.redis = connector.shared().sync();
        this.keys = connector.keys();
        this.maxWaiting = settings.maxWaiting();
    }

    /**
     * Queues a delivery for its target, unless one of its id is known already; whether it was queued. A queue
     * already full drops its oldest waiting, listed as failed.
     */
    boolean enqueue(NotificationTarget target, Map<String, String> fields, Instant now) {
        for (int read = 0; read < ENQUEUE_READS; read++) {
            long added = enqueue(target, fields, now, oldest(target));
            if (added >= 0) {
                return added == 1;
            }
        }
        throw new IllegalStateException(
                "the queue of notification target " + target.id() + " moved under every try to add a delivery");
    }

    /**
     * The ids a delivery added now may drop: as many as would be over the most waiting, and the next besides, as
     * the head is kept while it is being tried. The script drops only those it is given the keys of.
     */
    private List<String> oldest(NotificationTarget target) {
        String queue = keys.notificationQueue(target.queueMember());
        long excess = redis.llen(queue) + 1 - maxWaiting;
        return excess > 0 ? redis.lrange(queue, 0, excess) : List.of();
    }

    /** 1 when added, 0 when known, -1 when one to drop is not among {@code oldest} (the queue moved meanwhile). */
    private long enqueue(NotificationTarget target, Map<String, String> fields, Instant now, List<String> oldest) {
        String id = fields.get("id");
        List<String> keyNames = new ArrayList<>(List.of(
                keys.notificationDelivery(id),
                keys.notificationQueue(target.queueMember()),
                keys.notificationsDue(),
                keys.notificationDeliveries(target.project()),
                keys.notificationLeases()));
        oldest.forEach(old -> keyNames.add(keys.notificationDelivery(old)));
        List<String> args = new ArrayList<>(List.of(
                id,
                target.queueMember(),
                Long.toString(now.toEpochMilli()),
                Integer.toString(KEPT_PER_PROJECT),
                Integer.toString(maxWaiting),
                Long.toString(KEPT_AFTER_END.toSeconds()),
                "dropped: more than " + maxWaiting + " deliveries were waiting for this target (NOTIFY_MAX_WAITING)",
                Integer.toString(oldest.size())));
        args.addAll(oldest);
        addFields(args, fields);
        return ENQUEUE.<Long>run(redis, keyNames.toArray(String[]::new), args.toArray(String[]::new));
    }

    /**
     * A sender's hold of one target: its member of due ({@code {project}:{target}}), and the token that tells this
     * hold from a later one's.
     */
    record Claim(String member, String token) {}

    /**
     * A target whose next try is due and that no sender holds, held for {@code lease} by Redis's clock, so a sender
     * whose clock runs ahead cannot take it meanwhile.
     */
    Optional<Claim> claim(Instant now, Duration lease) {
        String token = UUID.randomUUID().toString();
        String member = CLAIM.run(
                redis,
                new String[] {keys.notificationsDue(), keys.notificationLeases()},
                Long.toString(now.toEpochMilli()),
                Long.toString(now.plus(lease).toEpochMilli()),
                Long.toString(lease.toMillis()),
                token);
        return Optional.ofNullable(member).map(held -> new Claim(held, token));
    }

    /** The delivery at the head of a target's queue, or its id alone when its record is gone. */
    Optional<String> head(String member) {
        return Optional.ofNullable(redis.lindex(keys.notificationQueue(member), 0));
    }

    Optional<Delivery> find(String id) {
        Map<String, String> fields = redis.hgetall(keys.notificationDelivery(id));
        return fields.isEmpty() ? Optional.empty() : Optional.of(new Delivery(fields));
    }

    /** Records a try that ends the delivery (delivered or given up on): the target's next is due at once. */
    void finish(Claim claim, String id, Instant now, Map<String, String> fields) {
        complete(claim, id, true, now, now, fields);
    }

    /** Records a failed try to be tried again at {@code next}, which is when the target comes due again. */
    void retryAt(Claim claim, String id, Instant now, Instant next, Map<String, String> fields) {
        complete(claim, id, false, now, next, fields);
    }

    /** Makes the target due again when its queue turned out empty (it is then removed from due). */
    void release(Claim claim, Instant now) {
        complete(claim, "", false, now, now, Map.of());
    }

    /** Each ends the claim's lease, unless it lapsed and another sender holds the target by now. */
    private void complete(Claim claim, String id, boolean last, Instant now, Instant next, Map<String, String> fields) {
        String member = claim.member();
        List<String> args = new ArrayList<>(List.of(
                member,
                id,
                last ? "1" : "0",
                Long.toString(now.toEpochMilli()),
                Long.toString(next.toEpochMilli()),
                Long.toString(KEPT_AFTER_END.toSeconds()),
                claim.token()));
        addFields(args, fields);
        COMPLETE.run(
                redis,
                new String[] {
                    keys.notificationQueue(member),
                    keys.notificationsDue(),
                    keys.notificationDelivery(id),
                    keys.notificationLeases()
                },
                args.toArray(String[]::new));
    }

    private static void addFields(List<String> args, Map<String, String> fields) {
        fields.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
    }

    /** The project's newest deliveries first, at most {@code limit}. */
    List<Delivery> newest(String project, int limit) {
        List<Delivery> found = new ArrayList<>();
        for (String id : redis.zrevrange(keys.notificationDeliveries(project), 0, limit - 1)) {
            find(id).ifPresent(found::add);
        }
        return found;
    }

    /** The fields of a delivery just made, in the order they are written. */
    static Map<String, String> newDelivery(
            String id,
            NotificationTarget target,
            NotificationEvent event,
            String deployment,
            String payload,
            Instant now) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", id);
        fields.put("project", target.project());
        fields.put("target", target.id());
        fields.put("type", target.type().word());
        fields.put("event", event.word());
        fields.put("deployment", deployment);
        fields.put("payload", payload);
        fields.put("state", Delivery.PENDING);
        fields.put("attempts", "0");
        fields.put("createdAt", now.toString());
        return fields;
    }
}
