package dev.deploypipeline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.testcontainers.containers.GenericContainer;

/**
 * A server on a fixed loopback port that a test can stop and start again: a container where a Docker engine
 * runs, otherwise a child process keeping its data in a folder of its own. Subclasses say how to start each.
 */
public abstract class RestartableServer implements AutoCloseable {

    protected final int port;
    protected final Path directory;
    private final Duration startTimeout;
    private final Duration stopGrace;
    private Process process;
    private GenericContainer<?> container;

    protected RestartableServer(String directoryPrefix, Duration startTimeout, Duration stopGrace) {
        this.port = LocalProcess.freePort();
        this.startTimeout = startTimeout;
        this.stopGrace = stopGrace;
        try {
            this.directory = Files.createTempDirectory(directoryPrefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A started container with the server's port published on loopback {@link #port}. */
    protected abstract GenericContainer<?> startContainer();

    /** Starts the server as a child process listening on {@link #port}, its output going to {@code log}. */
    protected abstract Process startProcess(Path log);

    /** Starts the server, or starts it again with the data it had when it was stopped; no-op while it runs. */
    public synchronized void startAgain() {
        if (DockerServers.available()) {
            if (container == null) {
                container = startContainer();
            } else {
                DockerServers.resume(container);
            }
            LocalProcess.awaitPort(port, startTimeout);
            return;
        }
        if (process != null && process.isAlive()) {
            return;
        }
        Path log = directory.resolve("server.log");
        process = startProcess(log);
        LocalProcess.awaitPort(process, port, startTimeout, log);
    }

    /**
     * The CPU time the server's process has used since it last started; empty in a container, whose process is not
     * this JVM's child, or where the system does not tell.
     */
    public synchronized Optional<Duration> cpuTime() {
        return process == null ? Optional.empty() : process.toHandle().info().totalCpuDuration();
    }

    /** Stops the server, keeping its data for {@link #startAgain()}. */
    public synchronized void stop() {
        if (container != null) {
            DockerServers.pause(container);
        } else {
            LocalProcess.stop(process, stopGrace);
        }
    }

    @Override
    public void close() {
        if (container != null) {
            container.stop();
        } else {
            stop();
        }
        LocalProcess.deleteRecursively(directory);
    }
}
