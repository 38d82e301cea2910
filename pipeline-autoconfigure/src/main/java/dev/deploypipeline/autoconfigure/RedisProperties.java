package dev.deploypipeline.autoconfigure;

import dev.deploypipeline.redis.RedisSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How every service reaches Redis ({@code REDIS_URL}, {@code REDIS_KEY_PREFIX}, {@code REDIS_COMMAND_TIMEOUT}).
 *
 * @param url Redis, {@code redis://[[user]:password@]host:port[/db]} ({@code rediss://} for TLS)
 * @param keyPrefix put before every Redis key, so several pipelines can share one Redis
 * @param commandTimeout a Redis command gives up after this, so a request is answered promptly while Redis is down;
 *     above the 2 seconds a worker's blocking take waits, so Redis never hands an id to a request nobody waits for
 */
@ConfigurationProperties("redis")
public record RedisProperties(
        @DefaultValue("redis://127.0.0.1:6379") URI url,
        @DefaultValue("") String keyPrefix,
        @DefaultValue("3s") Duration commandTimeout) {

    public RedisProperties {
        Objects.requireNonNull(url, "REDIS_URL must not be empty");
        Objects.requireNonNull(commandTimeout, "REDIS_COMMAND_TIMEOUT must not be empty");
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("REDIS_COMMAND_TIMEOUT must be positive: " + commandTimeout);
        }
    }

    /** The shared library's plain settings, filled from these. */
    public RedisSettings settings() {
        return new RedisSettings(
                url, keyPrefix == null ? "" : keyPrefix, commandTimeout, RedisSettings.DISCONNECTED_QUEUE_LIMIT);
    }
}
