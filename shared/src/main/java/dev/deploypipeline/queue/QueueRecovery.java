package dev.deploypipeline.queue;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.deployment.DeploymentTransitions.Reaped;
import dev.deploypipeline.redis.LuaScript;
import dev.deploypipeline.redis.RedisConnection;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps ids from being stranded: live consumers renew heartbeats; the reaper (one replica at a time, under
 * a lock) finds the processing lists of consumers whose heartbeat expired and has {@link DeploymentTransitions}
 * put their ids back at the end of {@code build-queue} that is taken next, counting an attempt, or give up on
 * an id after too many attempts: it ends {@code failed} and goes to the dead-letter list {@code build-queue:dead},
 * from which an operator can queue it again ({@link DeploymentTransitions#requeue}).
 */
public final class QueueRecovery {

    private static final Logger log = LoggerFactory.getLogger(QueueRecovery.class);

    private static final LuaScript RELEASE = new LuaScript("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """, ScriptOutputType.INTEGER);

    private final RedisConnection shared;
    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;
    private final DeploymentTransitions transitions;
    private final Clock clock;

    public QueueRecovery(RedisConnector connector, DeploymentTransitions transitions, Clock clock) {
        this.shared = connector.shared();
        this.redis = shared.sync();
        this.keys = connector.keys();
        this.transitions = transitions;
        this.clock = clock;
    }

    /** Renews the heartbeat of each consumer; a consumer whose heartbeat lapses is taken for dead. */
    public void heartbeat(Collection<String> consumers, Duration ttl) {
        for (String consumer : consumers) {
            redis.set(keys.heartbeat(consumer), Instant.now(clock).toString(), SetArgs.Builder.px(ttl.toMillis()));
        }
    }

    /** Removes the heartbeats of consumers that stopped cleanly, so nobody waits for them to lapse. */
    public void forget(Collection<String> consumers) {
        consumers.forEach(consumer -> redis.del(keys.heartbeat(consumer)));
    }

    /**
     * Reaps what {@code consumers}, this process's own, left from an earlier life under the same names, before their
     * heartbeats are renewed: a container restarted in its pod keeps its consumers' names, and the heartbeats that
     * its earlier life renewed would keep the reaper away while the restart resumed the ids, counting no attempt, so
     * a deployment that crashes its replica would be built again for good. Each id goes back to the queue with one
     * more attempt, or past {@code maxAttempts} is given up on, as the reaper does for a dead consumer.
     */
    public Reaped reclaim(Collection<String> consumers, int maxAttempts) {
        forget(consumers);
        return reapEach(consumers, maxAttempts, "started again with work left from before");
    }

    /**
     * Puts back the ids of every consumer whose heartbeat has expired, if no other replica is reaping now.
     * Empty when another replica holds the lock.
     */
    public Optional<Reaped> reap(String reaper, Duration lockTtl, int maxAttempts) {
        String locked =
                redis.set(keys.reaperLock(), reaper, SetArgs.Builder.nx().px(lockTtl.toMillis()));
        if (!"OK".equals(locked)) {
            return Optional.empty();
        }
        try {
            List<String> consumers =
                    processingLists().stream().map(keys::consumerOf).toList();
            return Optional.of(reapEach(consumers, maxAttempts, "stopped responding"));
        } finally {
            RELEASE.run(redis, new String[] {keys.reaperLock()}, reaper);
        }
    }

    /** Reaps each of {@code consumers} whose heartbeat is gone, saying why it was in the log. */
    private Reaped reapEach(Collection<String> consumers, int maxAttempts, String why) {
        List<DeploymentId> requeued = new ArrayList<>();
        List<DeploymentId> dead = new ArrayList<>();
        for (String consumer : consumers) {
            Reaped reaped = transitions.reap(consumer, maxAttempts);
            if (!reaped.requeued().isEmpty() || !reaped.deadLettered().isEmpty()) {
                log.warn(
                        "Consumer {} {}: re-queued {}, gave up on {}",
                        consumer,
                        why,
                        reaped.requeued(),
                        reaped.deadLettered());
            }
            requeued.addAll(reaped.requeued());
            dead.addAll(reaped.deadLettered());
        }
        return new Reaped(requeued, dead);
    }

    /** The dead letters, newest first. */
    public List<DeploymentId> deadLetters() {
        return redis.lrange(keys.deadLetters(), 0, -1).stream()
                .map(DeploymentId::parse)
                .flatMap(Optional::stream)
                .toList();
    }

    /**
     * Every consumer that holds work (a processing list) or lives (a heartbeat), by name: what it is building and
     * when it last beat. A consumer that holds work without a heartbeat has stopped, and waits for the reaper.
     */
    public List<ConsumerState> consumers() {
        Map<String, ConsumerState> byName = new TreeMap<>();
        for (String key : scan(keys.heartbeatPattern())) {
            String consumer = keys.consumerOfHeartbeat(key);
            Optional<Instant> beat = Optional.ofNullable(redis.get(key)).flatMap(QueueRecovery::instant);
            byName.put(consumer, new ConsumerState(consumer, beat, List.of()));
        }
        for (String key : processingLists()) {
            String consumer = keys.consumerOf(key);
            List<DeploymentId> holding = redis.lrange(key, 0, -1).stream()
                    .map(DeploymentId::parse)
                    .flatMap(Optional::stream)
                    .toList();
            Optional<Instant> beat = Optional.ofNullable(byName.get(consumer)).flatMap(ConsumerState::heartbeat);
            byName.put(consumer, new ConsumerState(consumer, beat, holding));
        }
        return List.copyOf(byName.values());
    }

    private static Optional<Instant> instant(String value) {
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private List<String> processingLists() {
        return scan(keys.processingPattern());
    }

    private List<String> scan(String pattern) {
        List<String> lists = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        ScanArgs match = ScanArgs.Builder.matches(pattern).limit(200);
        do {
            KeyScanCursor<String> page = shared.forPattern(pattern).scan(cursor, match);
            lists.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return lists;
    }

    /**
     * One queue consumer (a worker of a deploy replica) as Redis knows it.
     *
     * @param heartbeat when it last renewed its heartbeat; empty once that lapsed (it is taken for dead)
     * @param holding the ids in its processing list: what it is building
     */
    public record ConsumerState(String name, Optional<Instant> heartbeat, List<DeploymentId> holding) {}
}
