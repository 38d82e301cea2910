package dev.deploypipeline.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach Redis; the services fill it from their settings ({@code REDIS_URL}, {@code REDIS_KEY_PREFIX},
 * {@code REDIS_COMMAND_TIMEOUT}, {@code REDIS_CLUSTER_NODES}, {@code REDIS_SENTINEL_*}).
 *
 * @param url {@code redis://host:port[/db]}, {@code rediss://} for TLS; with a cluster or Sentinels, only its user,
 *     password, TLS and database count
 * @param keyPrefix put before every key, so several pipelines can share one Redis; empty for none
 * @param commandTimeout how long a command may take before the client gives up; always above the
 *     server-side block of a blocking take, so Redis never hands an id to a request nobody waits for
 * @param disconnectedQueueLimit how many commands are held while Redis is unreachable before new ones
 *     are refused at once
 * @param topology one server, a cluster, or Sentinels
 */
public record RedisSettings(
        URI url, String keyPrefix, Duration commandTimeout, int disconnectedQueueLimit, RedisTopology topology) {

    /** Commands held while Redis is unreachable, as the README says. */
    public static final int DISCONNECTED_QUEUE_LIMIT = 1000;

    public RedisSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(topology, "topology");
        if (disconnectedQueueLimit < 1) {
            throw new IllegalArgumentException("disconnectedQueueLimit must be at least 1: " + disconnectedQueueLimit);
        }
    }

    /** The one server of {@code url}. */
    public RedisSettings(URI url, String keyPrefix, Duration commandTimeout, int disconnectedQueueLimit) {
        this(url, keyPrefix, commandTimeout, disconnectedQueueLimit, new RedisTopology.Standalone());
    }

    public RedisKeys keys() {
        return new RedisKeys(keyPrefix);
    }
}
