package dev.deploypipeline.testing;

import static org.awaitility.Awaitility.await;

import dev.deploypipeline.redis.RedisSettings;
import dev.deploypipeline.redis.RedisTopology;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A real Redis with Sentinel on loopback: a master, its replica and one Sentinel (quorum 1) watching them as
 * {@link #MASTER}, each a {@code redis-server} child. {@link #failover()} has the Sentinel promote the replica, as
 * it does when the master is lost.
 */
public final class RedisSentinelServer implements AutoCloseable {

    public static final String MASTER = "pipeline";

    private final Path directory;
    private final List<Process> processes = new ArrayList<>();
    private final int first = LocalProcess.freePort();
    private final int second = LocalProcess.freePort();
    private final int sentinel = LocalProcess.freePort();

    private RedisSentinelServer(Path directory) {
        this.directory = directory;
    }

    public static RedisSentinelServer start() {
        RedisSentinelServer servers;
        try {
            servers = new RedisSentinelServer(Files.createTempDirectory("redis-sentinel-test-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            servers.startAll();
            return servers;
        } catch (RuntimeException e) {
            servers.close();
            throw e;
        }
    }

    private void startAll() {
        start("master", first, List.of());
        start("replica", second, List.of("--replicaof", "127.0.0.1", Integer.toString(first)));
        Path config = directory.resolve("sentinel.conf");
        try {
            Files.writeString(config, """
                    port %d
                    bind 127.0.0.1
                    dir %s
                    sentinel monitor %s 127.0.0.1 %d 1
                    sentinel down-after-milliseconds %s 1000
                    sentinel failover-timeout %s 5000
                    """.formatted(sentinel, directory, MASTER, first, MASTER, MASTER));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        startProcess("sentinel", sentinel, List.of("redis-server", config.toString(), "--sentinel"));
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> onSentinel(s -> s.sync().replicas(MASTER)).stream()
                        .anyMatch(replica -> replica.get("flags").equals("slave")
                                && "ok".equals(replica.get("master-link-status"))));
    }

    private void start(String name, int port, List<String> more) {
        List<String> command = new ArrayList<>(List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                folder(name),
                "--save",
                "",
                "--appendonly",
                "no",
                "--repl-diskless-sync",
                "yes",
                "--repl-diskless-sync-delay",
                "0"));
        command.addAll(more);
        startProcess(name, port, command);
    }

    private String folder(String name) {
        try {
            return Files.createDirectories(directory.resolve(name)).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startProcess(String name, int port, List<String> command) {
        Path log = directory.resolve(name + ".log");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            processes.add(process);
            LocalProcess.awaitPort(process, port, Duration.ofSeconds(20), log);
        } catch (IOException e) {
            throw new IllegalStateException("""
                    The Sentinel tests need `redis-server` (%s).
                    Install it: apt-get install redis-server""".formatted(e.getMessage()), e);
        }
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
        RedisURI uri = RedisURI.create("127.0.0.1", sentinel);
        uri.setTimeout(Duration.ofSeconds(2));
        uri.setLibraryName("");
        uri.setLibraryVersion("");
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisSentinelConnection<String, String> connection = client.connectSentinel()) {
            return call.apply(connection);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    @Override
    public void close() {
        processes.forEach(process -> LocalProcess.stop(process, Duration.ofSeconds(5)));
        LocalProcess.deleteRecursively(directory);
    }
}
