package dev.deploypipeline.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * A Lua script run by its SHA, sent whole when the server that runs it does not know it yet (after a restart, or
 * on a cluster node, a replica just promoted, that has never run it). Scripts are how the pipeline changes several
 * keys at once without read-then-write races. Every key a script touches arrives in its KEYS, so a cluster sends it
 * to the node holding them, and refuses it when they are not all in one slot.
 */
public final class LuaScript {

    private final String source;
    private final ScriptOutputType outputType;
    private final String sha;

    public LuaScript(String source, ScriptOutputType outputType) {
        this.source = source;
        this.outputType = outputType;
        this.sha = DigestUtils.sha1Hex(source);
    }

    /** The script's text, for a test that reads what it touches. */
    public String source() {
        return source;
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

    public <T> T run(RedisClusterCommands<String, String> redis, String[] keys, String... args) {
        try {
            return redis.evalsha(sha, outputType, keys, args);
        } catch (RedisNoScriptException unknown) {
            // EVAL runs it and keeps it on the node that ran it, under the same SHA.
            return redis.eval(source, outputType, keys, args);
        }
    }
}
