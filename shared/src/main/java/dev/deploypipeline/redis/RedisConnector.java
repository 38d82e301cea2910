package dev.deploypipeline.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One Lettuce client for the process: a {@link RedisClient} for one server or through Sentinels, a {@link
 * RedisClusterClient} for a cluster. {@link #shared()} is the thread-safe connection for ordinary commands; {@link
 * #connect()} opens a dedicated one for a caller that blocks (a worker's BLMOVE holds its connection for the whole
 * block).
 */
public final class RedisConnector implements AutoCloseable {

    /** How often a cluster client reads the cluster's slots anew, besides when a MOVED or lost node tells it to. */
    private static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(5);

    private final ClientResources resources;
    private final RedisClient standalone;
    private final RedisClusterClient cluster;
    private final RedisSettings settings;
    private final RedisConnection shared;

    public RedisConnector(RedisSettings settings) {
        this.settings = settings;
        // Reconnect soon after Redis is back: Lettuce's default backoff grows to 30 seconds.
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(
                        Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisEndpoints endpoints = new RedisEndpoints(settings);
        if (settings.topology() instanceof RedisTopology.Cluster) {
            this.standalone = null;
            this.cluster = RedisClusterClient.create(resources, endpoints.clusterNodes());
            cluster.setOptions(ClusterClientOptions.builder(clientOptions())
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                            .enableAllAdaptiveRefreshTriggers()
                            .build())
                    .build());
        } else {
            this.cluster = null;
            this.standalone = RedisClient.create(resources, endpoints.server());
            standalone.setOptions(clientOptions());
        }
        this.shared = connect();
    }

    private ClientOptions clientOptions() {
        return ClientOptions.builder()
                .autoReconnect(true)
                .maintNotificationsConfig(MaintNotificationsConfig.disabled())
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .requestQueueSize(settings.disconnectedQueueLimit())
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .keepAlive(true)
                        .build())
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .build();
    }

    public RedisConnection shared() {
        return shared;
    }

    public RedisConnection connect() {
        return cluster != null ? RedisConnection.of(cluster.connect()) : RedisConnection.of(standalone.connect());
    }

    /**
     * A connection for SUBSCRIBE; like every connection of this client it reconnects and subscribes again by itself.
     * On a cluster, a message published on any node reaches subscribers on every node.
     */
    public StatefulRedisPubSubConnection<String, String> connectPubSub() {
        return cluster != null ? cluster.connectPubSub() : standalone.connectPubSub();
    }

    public RedisKeys keys() {
        return settings.keys();
    }

    public RedisSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        shared.close();
        AbstractRedisClient client = cluster != null ? cluster : standalone;
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
