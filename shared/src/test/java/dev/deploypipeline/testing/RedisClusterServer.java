package dev.deploypipeline.testing;

import static org.awaitility.Awaitility.await;

import dev.deploypipeline.redis.RedisSettings;
import dev.deploypipeline.redis.RedisTopology;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Redis Cluster on loopback: three masters, each with one replica, six {@code redis-server --cluster-enabled
 * yes} children joined by {@code redis-cli --cluster create … --cluster-replicas 1}. Ports are below 55536, as each
 * node's cluster bus listens on its port + 10000. {@link #killMasterOf} kills the master of a key's slot the way a
 * lost machine goes, and returns once its replica has taken over.
 */
public final class RedisClusterServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisClusterServer.class);
    private static final int NODES = 6;
    private static final Duration NODE_TIMEOUT = Duration.ofMillis(1000);

    private final RedisNodes nodes;

    private RedisClusterServer(RedisNodes nodes) {
        this.nodes = nodes;
    }

    public static RedisClusterServer start() {
        return RedisNodes.setUp(
                "redis-cluster-test-", "The cluster tests need `redis-server` and `redis-cli`", nodes -> {
                    RedisClusterServer cluster = new RedisClusterServer(nodes);
                    for (int i = 0; i < NODES; i++) {
                        cluster.startNode(ClusterNode.freePort(nodes.ports()));
                    }
                    cluster.create();
                    return cluster;
                });
    }

    private void startNode(int port) {
        nodes.start(
                Integer.toString(port),
                port,
                List.of(
                        "--cluster-enabled",
                        "yes",
                        "--cluster-config-file",
                        "nodes.conf",
                        "--cluster-node-timeout",
                        Long.toString(NODE_TIMEOUT.toMillis()),
                        // A replica may take over however long it was cut off: the test kills masters at will.
                        "--cluster-replica-validity-factor",
                        "0"));
    }

    private void create() {
        List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        command.addAll(nodes());
        command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        run(command, Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(this::settled);
    }

    /** Every running node sees the cluster ok, with three masters, each with a replica in sync. */
    private boolean settled() {
        for (int port : running()) {
            String info = onNode(port, redis -> redis.sync().clusterInfo());
            if (!info.contains("cluster_state:ok")) {
                return false;
            }
        }
        List<ClusterNode> view = topology();
        return view.stream().filter(ClusterNode::master).count() == 3
                && view.stream()
                        .filter(ClusterNode::master)
                        .allMatch(master -> view.stream()
                                .anyMatch(replica -> master.id().equals(replica.masterId()) && inSync(replica.port())));
    }

    private boolean inSync(int replicaPort) {
        String replication = onNode(replicaPort, redis -> redis.sync().info("replication"));
        return replication.contains("master_link_status:up");
    }

    /** {@code host:port} of every node started, for {@code REDIS_CLUSTER_NODES} and {@code redis-cli}. */
    public List<String> nodes() {
        return nodes.ports().stream().map(port -> "127.0.0.1:" + port).toList();
    }

    /** The same, comma-separated, as {@code REDIS_CLUSTER_NODES} takes them. */
    public String nodesSetting() {
        return String.join(",", nodes());
    }

    /** Settings of a client of this cluster, with the key prefix given (a hash tag such as {@code {deploy}:}). */
    public RedisSettings settings(String keyPrefix) {
        return new RedisSettings(
                URI.create("redis://127.0.0.1:" + running().get(0)),
                keyPrefix,
                Duration.ofSeconds(10),
                RedisSettings.DISCONNECTED_QUEUE_LIMIT,
                new RedisTopology.Cluster(nodes()));
    }

    /** The port of the master now serving {@code key}'s slot. */
    public int masterOf(String key) {
        int slot = SlotHash.getSlot(key);
        return topology().stream()
                .filter(node -> node.master() && node.serves(slot))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no master serves slot " + slot))
                .port();
    }

    /**
     * Kills the master of {@code key}'s slot with SIGKILL, and returns the port of its replica once that has taken
     * over the slot and the cluster is whole again.
     */
    public int killMasterOf(String key) {
        int master = masterOf(key);
        long killedAt = System.nanoTime();
        nodes.kill(master);
        int promoted = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> promoted(key, master), Optional::isPresent)
                .orElseThrow();
        log.info(
                "Killed the master on port {}; its replica on port {} serves slot {} after {} ms",
                master,
                promoted,
                SlotHash.getSlot(key),
                Duration.ofNanos(System.nanoTime() - killedAt).toMillis());
        return promoted;
    }

    private Optional<Integer> promoted(String key, int killed) {
        int now = masterOf(key);
        if (now == killed) {
            return Optional.empty();
        }
        boolean ok = running().stream()
                .allMatch(port ->
                        onNode(port, redis -> redis.sync().clusterInfo()).contains("cluster_state:ok"));
        return ok ? Optional.of(now) : Optional.empty();
    }

    private List<Integer> running() {
        return nodes.running();
    }

    /** The cluster as a running node sees it: each node's id, port, role, master and slots. */
    private List<ClusterNode> topology() {
        String lines = onNode(running().get(0), redis -> redis.sync().clusterNodes());
        return lines.lines()
                .filter(line -> !line.isBlank())
                .map(ClusterNode::parse)
                .toList();
    }

    private static <T> T onNode(int port, Function<StatefulRedisConnection<String, String>, T> call) {
        return RedisNodes.withClient(port, client -> {
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                return call.apply(connection);
            }
        });
    }

    private void run(List<String> command, Duration within) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(
                        String.join(" ", command) + " failed:\n" + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + command.get(0) + "; apt-get install redis-server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        nodes.close();
    }
}
