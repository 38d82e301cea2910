package dev.deploypipeline.autoconfigure;

import dev.deploypipeline.redis.RedisSettings;
import dev.deploypipeline.redis.RedisTopology;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How every service reaches Redis ({@code REDIS_URL}, {@code REDIS_KEY_PREFIX}, {@code REDIS_COMMAND_TIMEOUT}, and
 * for a Redis Cluster or Sentinels {@code REDIS_CLUSTER_NODES} or {@code REDIS_SENTINEL_*}).
 *
 * @param url Redis, {@code redis://[[user]:password@]host:port[/db]} ({@code rediss://} for TLS)
 * @param keyPrefix put before every Redis key, so several pipelines can share one Redis
 * @param commandTimeout a Redis command gives up after this, so a request is answered promptly while Redis is down;
 *     above the 2 seconds a worker's blocking take waits, so Redis never hands an id to a request nobody waits for
 * @param clusterNodes {@code host:port} of some nodes of a Redis Cluster, comma-separated
 * @param sentinelMaster the name under which the Sentinels know the master
 * @param sentinelNodes {@code host:port} of the Sentinels, comma-separated
 * @param sentinelPassword the Sentinels' own password, when they ask for one
 */
@ConfigurationProperties("redis")
public record RedisProperties(
        @DefaultValue("redis://127.0.0.1:6379") URI url,
        @DefaultValue("") String keyPrefix,
        @DefaultValue("3s") Duration commandTimeout,
        @DefaultValue List<String> clusterNodes,
        @DefaultValue("") String sentinelMaster,
        @DefaultValue List<String> sentinelNodes,
        @DefaultValue("") String sentinelPassword) {

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
                url,
                keyPrefix == null ? "" : keyPrefix,
                commandTimeout,
                RedisSettings.DISCONNECTED_QUEUE_LIMIT,
                RedisTopology.of(clusterNodes, sentinelMaster, sentinelNodes, sentinelPassword));
    }
}
