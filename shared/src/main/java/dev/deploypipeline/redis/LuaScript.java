package dev.deploypipeline.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

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

    /**
     * The script in the resource {@code name} beside {@code owner}, after the {@code library} resources (the
     * functions several scripts share), in that order.
     */
    public static LuaScript resource(Class<?> owner, String name, ScriptOutputType outputType, String... library) {
        StringBuilder source = new StringBuilder();
        for (String part : library) {
            source.append(text(owner, part)).append('\n');
        }
        return new LuaScript(source.append(text(owner, name)).toString(), outputType);
    }

    private static String text(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the Lua script " + name + " is missing beside " + owner.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
