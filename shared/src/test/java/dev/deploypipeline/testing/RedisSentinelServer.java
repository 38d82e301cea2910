package dev.deploypipeline.testing;

import static org.awaitility.Awaitility.await;

import dev.deploypipeline.redis.RedisSettings;
import dev.deploypipeline.redis.RedisTopology;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * A real Redis with Sentinel on loopback: a master, its replica and one Sentinel (quorum 1) watching them as
 * {@link #MASTER}, each a {@code redis-server} child. {@link #failover()} has the Sentinel promote the replica, as
 * it does when the master is lost.
 */
public final class RedisSentinelServer implements AutoCloseable {

    public static final String MASTER = "pipeline";

    private final RedisNodes nodes;
    private final int first = LocalProcess.freePort();
    private final int second = LocalProcess.freePort();
    private final int sentinel = LocalProcess.freePort();

    private RedisSentinelServer(RedisNodes nodes) {
        this.nodes = nodes;
    }

    public static RedisSentinelServer start() {
        return RedisNodes.setUp("redis-sentinel-test-", "The Sentinel tests need `redis-server`", nodes -> {
            RedisSentinelServer servers = new RedisSentinelServer(nodes);
            servers.startAll();
            return servers;
        });
    }

    private void startAll() {
        nodes.start("master", first, List.of());
        nodes.start("replica", second, List.of("--replicaof", "127.0.0.1", Integer.toString(first)));
        Path folder = nodes.folder("sentinel");
        Path config = folder.resolve("sentinel.conf");
        try {
            Files.writeString(config, """
                    port %d
                    bind 127.0.0.1
                    dir %s
                    sentinel monitor %s 127.0.0.1 %d 1
                    sentinel down-after-milliseconds %s 1000
                    sentinel failover-timeout %s 5000
                    """.formatted(sentinel, folder, MASTER, first, MASTER, MASTER));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        nodes.launch("sentinel", sentinel, List.of("redis-server", config.toString(), "--sentinel"));
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> onSentinel(s -> s.sync().replicas(MASTER)).stream()
                        .anyMatch(replica -> replica.get("flags").equals("slave")
                                && "ok".equals(replica.get("master-link-status"))));
    }

    /** {@code host:port} of the Sentinel, for {@code REDIS_SENTINEL_NODES}. */
    public String sentinelNodes() {
        return "127.0.0.1:" + sentinel;
    }

    /** The port of the master the Sentinel names now. */
    public int masterPort() {
        SocketAddress address = onSentinel(s -> s.sync().getMasterAddrByName(MASTER));
        return ((InetSocketAddress) address).getPort();
    }

    /** Settings of a client that finds the master through the Sentinel. */
    public RedisSettings settings(String keyPrefix) {
        return new RedisSettings(
                URI.create("redis://127.0.0.1"),
                keyPrefix,
                Duration.ofSeconds(10),
                RedisSettings.DISCONNECTED_QUEUE_LIMIT,
                new RedisTopology.Sentinel(MASTER, List.of(sentinelNodes()), ""));
    }

    /** Has the Sentinel promote the replica, and returns the new master's port once the Sentinel names it. */
    public int failover() {
        int before = masterPort();
        onSentinel(s -> s.sync().failover(MASTER));
        return await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(this::masterPort, port -> port != before);
    }

    private <T> T onSentinel(Function<StatefulRedisSentinelConnection<String, String>, T> call) {
        return RedisNodes.withClient(sentinel, client -> {
            try (StatefulRedisSentinelConnection<String, String> connection = client.connectSentinel()) {
                return call.apply(connection);
            }
        });
    }

    @Override
    public void close() {
        nodes.close();
    }
}
