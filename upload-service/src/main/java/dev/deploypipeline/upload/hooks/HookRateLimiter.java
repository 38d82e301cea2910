package dev.deploypipeline.upload.hooks;

import dev.deploypipeline.redis.LuaScript;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * At most {@code HOOK_RATE_LIMIT} calls of one hook within any {@code HOOK_RATE_WINDOW}, a sliding window: the
 * times of its calls are kept in Redis ({@code hook-calls:{id}}), by Redis's clock, so the limit holds across every
 * upload-service.
 */
@Component
class HookRateLimiter {

    private static final LuaScript COUNT =
            LuaScript.resource(HookRateLimiter.class, "rate-limit.lua", ScriptOutputType.MULTI);

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;
    private final HookSettings settings;

    HookRateLimiter(RedisConnector connector, HookSettings settings) {
        this.redis = connector.shared().sync();
        this.keys = connector.keys();
        this.settings = settings;
    }

    /** Counts a call of the hook; a 429, with when its window's oldest call leaves the window, past the limit. */
    void admit(Hook hook) {
        List<Object> answer = COUNT.run(
                redis,
                new String[] {keys.hookCalls(hook.id())},
                Integer.toString(settings.rateLimit()),
                Long.toString(settings.rateWindow().toMillis()));
        if ((Long) answer.get(0) == 0L) {
            throw new HookRateLimitedException(hook, settings, Duration.ofMillis((Long) answer.get(1)));
        }
    }
}
