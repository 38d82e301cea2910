package dev.deploypipeline.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * A Lua script run by its SHA, loaded again when Redis has forgotten it (after a restart).
 * Scripts are how the pipeline changes several keys at once without read-then-write races.
 */
public final class LuaScript {

    private final String source;
    private final ScriptOutputType outputType;
    private volatile String sha;

    public LuaScript(String source, ScriptOutputType outputType) {
        this.source = source;
        this.outputType = outputType;
    }

    public <T> T run(RedisCommands<String, String> redis, String[] keys, String... args) {
        String known = sha;
        if (known != null) {
            try {
                return redis.evalsha(known, outputType, keys, args);
            } catch (RedisNoScriptException forgotten) {
                // fall through and load it again
            }
        }
        sha = redis.scriptLoad(source);
        return redis.evalsha(sha, outputType, keys, args);
    }
}
