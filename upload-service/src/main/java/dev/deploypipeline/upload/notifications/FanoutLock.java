package dev.deploypipeline.upload.notifications;

import dev.deploypipeline.redis.LuaScript;
import dev.deploypipeline.redis.RedisConnector;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code notification-fanout:lock}: held by the one upload-service that reads events into deliveries, renewed on
 * each read, and lapsing {@link #TTL} after its holder stops renewing it (it died), so another takes over.
 */
final class FanoutLock {

    static final Duration TTL = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(FanoutLock.class);
    private static final LuaScript TAKE =
            LuaScript.resource(FanoutLock.class, "fanout-lock-1.lua", ScriptOutputType.INTEGER);

    private final RedisConnector redis;
    private final String me = UUID.randomUUID().toString();

    FanoutLock(RedisConnector redis) {
        this.redis = redis;
    }

    /** Takes the lock or renews it; whether this service holds it now. */
    boolean hold() {
        Long held = TAKE.run(
                redis.shared().sync(),
                new String[] {redis.keys().notificationFanoutLock()},
                me,
                Long.toString(TTL.toMillis()));
        return held == 1;
    }

    /** Lets the lock go at once when this service holds it, so another need not wait for it to lapse. */
    void release() {
        try {
            RedisClusterCommands<String, String> shared = redis.shared().sync();
            if (me.equals(shared.get(redis.keys().notificationFanoutLock()))) {
                shared.del(redis.keys().notificationFanoutLock());
            }
        } catch (RuntimeException e) {
            log.debug("Could not release the notification reader's lock; it lapses by itself", e);
        }
    }
}
