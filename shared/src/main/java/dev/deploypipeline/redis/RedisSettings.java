package dev.deploypipeline.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * How to reach Redis.
 *
 * @param url {@code redis://host:port[/db]}, {@code rediss://} for TLS
 * @param keyPrefix put before every key, so several pipelines can share one Redis; empty by default
 * @param commandTimeout how long a command may take before the client gives up; always above the
 *     server-side block of a blocking take, so Redis never hands an id to a request nobody waits for
 * @param disconnectedQueueLimit how many commands are held while Redis is unreachable before new ones
 *     are refused at once
 */
public record RedisSettings(URI url, String keyPrefix, Duration commandTimeout, int disconnectedQueueLimit) {

    public static final URI DEFAULT_URL = URI.create("redis://127.0.0.1:6379");

    public RedisSettings {
        Objects.requireNonNull(url, "url");
        keyPrefix = keyPrefix == null ? "" : keyPrefix;
        commandTimeout = commandTimeout == null ? Duration.ofSeconds(10) : commandTimeout;
        disconnectedQueueLimit = disconnectedQueueLimit <= 0 ? 1000 : disconnectedQueueLimit;
    }

    /**
     * From the documented variables ({@code REDIS_URL}, {@code REDIS_KEY_PREFIX}); {@code lookup} is the
     * environment, or a Spring {@code Environment} so tests can set the same names as properties.
     */
    public static RedisSettings fromEnvironment(Function<String, String> lookup) {
        String url = lookup.apply("REDIS_URL");
        return new RedisSettings(url == null || url.isBlank() ? DEFAULT_URL : URI.create(url.trim()),
                lookup.apply("REDIS_KEY_PREFIX"), null, 0);
    }

    public static RedisSettings of(URI url) {
        return new RedisSettings(url, "", null, 0);
    }

    /** The same settings with another command timeout (a service answering users wants to fail fast). */
    public RedisSettings withCommandTimeout(Duration timeout) {
        return new RedisSettings(url, keyPrefix, timeout, disconnectedQueueLimit);
    }

    public RedisKeys keys() {
        return new RedisKeys(keyPrefix);
    }
}
