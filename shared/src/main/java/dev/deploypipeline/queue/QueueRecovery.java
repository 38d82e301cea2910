package dev.deploypipeline.queue;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.redis.LuaScript;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps ids from being stranded: live consumers renew heartbeats; the reaper (one replica at a time, under
 * a lock) puts the ids of consumers whose heartbeat expired back at the end of {@code build-queue} that is
 * taken next, counting an attempt, and gives up on an id after too many attempts: it ends {@code failed}
 * and goes to the dead-letter list {@code build-queue:dead}, from which an operator can re-queue it.
 */
public final class QueueRecovery {

    private static final Logger log = LoggerFactory.getLogger(QueueRecovery.class);

    // KEYS: processing list, heartbeat, queue, dead letters, status hash.
    // ARGV: deployment key prefix, max attempts, now, consumer name.
    // Newest taken first, each RPUSHed, so the oldest taken ends rightmost and is built first again.
    private static final LuaScript REAP = new LuaScript("""
            if redis.call('EXISTS', KEYS[2]) == 1 then return {{}, {}} end
            local requeued, dead = {}, {}
            while true do
              local id = redis.call('LPOP', KEYS[1])
              if not id then break end
              local deployment = ARGV[1] .. id
              local status = redis.call('HGET', KEYS[5], id)
              if status == 'uploaded' or status == 'building' then
                local attempts = redis.call('HINCRBY', deployment, 'attempts', 1)
                if attempts > tonumber(ARGV[2]) then
                  local reason = 'gave up after ' .. (attempts - 1) .. ' attempts: the replica building it ('
                      .. ARGV[4] .. ') stopped responding each time'
                  redis.call('HSET', KEYS[5], id, 'failed')
                  redis.call('HSET', deployment, 'status', 'failed', 'error', reason, 'finishedAt', ARGV[3])
                  redis.call('LPUSH', KEYS[4], id)
                  table.insert(dead, id)
                else
                  redis.call('HSET', KEYS[5], id, 'uploaded')
                  redis.call('HSET', deployment, 'status', 'uploaded')
                  redis.call('RPUSH', KEYS[3], id)
                  table.insert(requeued, id)
                end
              end
            end
            return {requeued, dead}
            """, ScriptOutputType.MULTI);

    private static final LuaScript REQUEUE_DEAD = new LuaScript("""
            if redis.call('LREM', KEYS[1], 0, ARGV[1]) == 0 then return 0 end
            redis.call('HSET', KEYS[2], ARGV[1], 'uploaded')
            redis.call('HSET', KEYS[3], 'status', 'uploaded', 'attempts', '0')
            redis.call('HDEL', KEYS[3], 'error', 'finishedAt')
            redis.call('LPUSH', KEYS[4], ARGV[1])
            return 1
            """, ScriptOutputType.INTEGER);

    private static final LuaScript RELEASE = new LuaScript("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """, ScriptOutputType.INTEGER);

    private final RedisCommands<String, String> redis;
    private final RedisKeys keys;
    private final Clock clock;

    public QueueRecovery(RedisConnector connector, Clock clock) {
        this.redis = connector.shared().sync();
        this.keys = connector.keys();
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
     * Puts back the ids of every consumer whose heartbeat has expired, if no other replica is reaping now.
     * Empty when another replica holds the lock.
     */
    public Optional<Reaped> reap(String reaper, Duration lockTtl, int maxAttempts) {
        String locked = redis.set(keys.reaperLock(), reaper, SetArgs.Builder.nx().px(lockTtl.toMillis()));
        if (!"OK".equals(locked)) {
            return Optional.empty();
        }
        try {
            List<DeploymentId> requeued = new ArrayList<>();
            List<DeploymentId> dead = new ArrayList<>();
            for (String processing : processingLists()) {
                String consumer = processing.substring(keys.processing("").length());
                List<Object> reply = REAP.run(redis, new String[] {processing, keys.heartbeat(consumer), keys.queue(),
                        keys.deadLetters(), keys.status()},
                        keys.deploymentPrefix(), Integer.toString(maxAttempts), Instant.now(clock).toString(), consumer);
                List<DeploymentId> back = ids(reply.get(0));
                List<DeploymentId> gaveUp = ids(reply.get(1));
                if (!back.isEmpty() || !gaveUp.isEmpty()) {
                    log.warn("Consumer {} stopped responding: re-queued {}, gave up on {}", consumer, back, gaveUp);
                }
                requeued.addAll(back);
                dead.addAll(gaveUp);
            }
            return Optional.of(new Reaped(requeued, dead));
        } finally {
            RELEASE.run(redis, new String[] {keys.reaperLock()}, reaper);
        }
    }

    /** The dead letters, newest first. */
    public List<DeploymentId> deadLetters() {
        return redis.lrange(keys.deadLetters(), 0, -1).stream()
                .map(DeploymentId::parse).flatMap(Optional::stream).toList();
    }

    /** Takes an id off the dead-letter list and queues it again with its attempts reset; false when it was not there. */
    public boolean requeueDeadLetter(DeploymentId id) {
        Long moved = REQUEUE_DEAD.run(redis,
                new String[] {keys.deadLetters(), keys.status(), keys.deployment(id), keys.queue()}, id.value());
        return moved != null && moved == 1L;
    }

    private List<String> processingLists() {
        List<String> lists = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        ScanArgs match = ScanArgs.Builder.matches(keys.processingPattern()).limit(200);
        do {
            KeyScanCursor<String> page = redis.scan(cursor, match);
            lists.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return lists;
    }

    @SuppressWarnings("unchecked")
    private static List<DeploymentId> ids(Object reply) {
        return ((List<String>) reply).stream().map(DeploymentId::new).toList();
    }

    /** What one pass of the reaper did. */
    public record Reaped(List<DeploymentId> requeued, List<DeploymentId> deadLettered) {
    }
}
