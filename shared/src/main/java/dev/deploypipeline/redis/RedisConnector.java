package dev.deploypipeline.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One Lettuce client for the process. {@link #shared()} is the thread-safe connection for ordinary
 * commands; {@link #connect()} opens a dedicated one for a caller that blocks (a worker's BLMOVE holds
 * its connection for the whole block).
 */
public final class RedisConnector implements AutoCloseable {

    private final ClientResources resources;
    private final RedisClient client;
    private final RedisSettings settings;
    private final StatefulRedisConnection<String, String> shared;

    public RedisConnector(RedisSettings settings) {
        this.settings = settings;
        RedisURI uri = RedisURI.create(settings.url());
        uri.setTimeout(settings.commandTimeout());
        // Redis 7.0 does not know CLIENT SETINFO; the errors are harmless but noisy.
        uri.setLibraryName("");
        uri.setLibraryVersion("");
        // Reconnect soon after Redis is back: Lettuce's default backoff grows to 30 seconds.
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(
                        Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .maintNotificationsConfig(MaintNotificationsConfig.disabled())
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .requestQueueSize(settings.disconnectedQueueLimit())
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .keepAlive(true)
                        .build())
                .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                .build());
        this.shared = client.connect();
    }

    public StatefulRedisConnection<String, String> shared() {
        return shared;
    }

    public StatefulRedisConnection<String, String> connect() {
        return client.connect();
    }

    /** A connection for SUBSCRIBE; like every connection of this client it reconnects and subscribes again by itself. */
    public StatefulRedisPubSubConnection<String, String> connectPubSub() {
        return client.connectPubSub();
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
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
