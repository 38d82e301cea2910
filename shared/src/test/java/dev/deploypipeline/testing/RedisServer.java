package dev.deploypipeline.testing;

import dev.deploypipeline.redis.RedisSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.testcontainers.containers.GenericContainer;

/**
 * A real Redis for one test class, that a test can stop and start again on the same port (with its data
 * when AOF is on): a Redis container where a Docker engine runs, otherwise a {@code redis-server} from PATH
 * on a free loopback port, in a folder of its own. Fails, saying what to install, when there is neither.
 */
public final class RedisServer extends RestartableServer {

    private final boolean appendOnly;

    private RedisServer(boolean appendOnly) {
        super("redis-test-", Duration.ofSeconds(20), Duration.ofSeconds(10));
        this.appendOnly = appendOnly;
    }

    public static RedisServer start() {
        RedisServer server = new RedisServer(false);
        server.startAgain();
        return server;
    }

    /** A Redis that writes every command to an append-only file, so a restart keeps the queue. */
    public static RedisServer startWithAppendOnlyFile() {
        RedisServer server = new RedisServer(true);
        server.startAgain();
        return server;
    }

    public URI url() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Settings of a client of this server: no key prefix, and a command timeout above any blocking take's. */
    public RedisSettings settings() {
        return new RedisSettings(url(), "", Duration.ofSeconds(10), RedisSettings.DISCONNECTED_QUEUE_LIMIT);
    }

    @Override
    protected Process startProcess(Path log) {
        List<String> command = RedisNodes.command(
                port, directory, List.of("--appendonly", appendOnly ? "yes" : "no", "--appendfsync", "always"));
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("""
                    Integration tests need a real Redis and could not start `redis-server` (%s).
                    Install it: apt-get install redis-server (or run a Docker engine).""".formatted(e.getMessage()), e);
        }
    }

    @Override
    protected GenericContainer<?> startContainer() {
        return DockerServers.start(
                "redis:7",
                6379,
                port,
                List.of(
                        "redis-server",
                        "--save",
                        "",
                        "--appendonly",
                        appendOnly ? "yes" : "no",
                        "--appendfsync",
                        "always"),
                Map.of());
    }
}
