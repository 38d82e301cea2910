package dev.deploypipeline.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code redis-server} children on loopback ports, each with a folder of its own under one temporary directory and
 * its output in a log there: what {@link RedisClusterServer} and {@link RedisSentinelServer} are made of. Nodes keep
 * nothing on disk and sync replicas without one, so they start and fail over fast.
 */
final class RedisNodes implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final Path directory;
    private final String needs;
    private final Map<Integer, Process> processes = new LinkedHashMap<>();

    private RedisNodes(Path directory, String needs) {
        this.directory = directory;
        this.needs = needs;
    }

    /**
     * Sets up nodes in a new directory named from {@code directoryPrefix}; if that fails, stops the nodes started
     * and removes the directory. {@code needs} opens the message when a program is missing ("The cluster tests need
     * `redis-server`").
     */
    static <T> T setUp(String directoryPrefix, String needs, Function<RedisNodes, T> setUp) {
        RedisNodes nodes;
        try {
            nodes = new RedisNodes(Files.createTempDirectory(directoryPrefix), needs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return setUp.apply(nodes);
        } catch (RuntimeException e) {
            nodes.close();
            throw e;
        }
    }

    /** The folder of the node called {@code name}, made if it is not there yet. */
    Path folder(String name) {
        try {
            return Files.createDirectories(directory.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code redis-server} on {@code port} in the folder {@code name}, with {@code options} after its own. */
    void start(String name, int port, List<String> options) {
        List<String> more = new ArrayList<>(
                List.of("--appendonly", "no", "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0"));
        more.addAll(options);
        launch(name, port, command(port, folder(name), more));
    }

    /** {@code redis-server} on loopback {@code port}, in {@code folder}, with no snapshots, then {@code options}. */
    static List<String> command(int port, Path folder, List<String> options) {
        List<String> command = new ArrayList<>(List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                folder.toString(),
                "--save",
                ""));
        command.addAll(options);
        return command;
    }

    /** Runs {@code command}, logging to the folder {@code name}, and waits until it listens on {@code port}. */
    void launch(String name, int port, List<String> command) {
        Path log = folder(name).resolve("server.log");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            processes.put(port, process);
            LocalProcess.awaitPort(process, port, START_TIMEOUT, log);
        } catch (IOException e) {
            throw new IllegalStateException("""
                    %s (%s).
                    Install it: apt-get install redis-server""".formatted(needs, e.getMessage()), e);
        }
    }

    /** The ports of the nodes started, in the order they were. */
    List<Integer> ports() {
        return List.copyOf(processes.keySet());
    }

    /** The ports of the nodes still running. */
    List<Integer> running() {
        return processes.entrySet().stream()
                .filter(node -> node.getValue().isAlive())
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Kills the node on {@code port} with SIGKILL, the way a lost machine goes, and waits until it is gone. */
    void kill(int port) {
        Process process = processes.get(port);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Calls {@code call} with a client of the node on {@code port}, shut down after. */
    static <T> T withClient(int port, Function<RedisClient, T> call) {
        RedisURI uri = RedisURI.create("127.0.0.1", port);
        uri.setTimeout(Duration.ofSeconds(2));
        uri.setLibraryName("");
        uri.setLibraryVersion("");
        RedisClient client = RedisClient.create(uri);
        try {
            return call.apply(client);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    @Override
    public void close() {
        processes.values().forEach(process -> LocalProcess.stop(process, STOP_GRACE));
        LocalProcess.deleteRecursively(directory);
    }
}
