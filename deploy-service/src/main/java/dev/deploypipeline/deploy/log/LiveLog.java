package dev.deploypipeline.deploy.log;

import dev.deploypipeline.buildlog.BuildLogStream;
import dev.deploypipeline.buildlog.LogLine;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.redis.RedisConnection;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A build's lines, sent to its stream {@code logs:{id}} as they come, on a connection no other build uses while
 * this log is open, so a flood never holds up anyone else's commands; the connection is taken from the replica's
 * {@link LogConnections} and given back at the end for a later build (closed instead if Redis failed on it). Sends
 * do not wait for Redis, but no more than {@link #IN_FLIGHT} are outstanding, so a build that prints faster than
 * Redis takes it is slowed, not buffered. The stream is best-effort: if Redis fails it stops, and the build goes
 * on; the stored log is the record.
 */
final class LiveLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveLog.class);
    private static final int IN_FLIGHT = 128;

    private final LogConnections connections;
    private final DeploymentId id;
    private final LogSettings settings;
    private final Duration lifetime;
    private final Duration commandTimeout;
    private final RedisConnection connection;
    private final BuildLogStream stream;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private volatile boolean failed;
    private boolean started;

    /**
     * @param lifetime how long the stream may live if this builder dies before it ends: past the longest build
     */
    private LiveLog(LogConnections connections, DeploymentId id, LogSettings settings, Duration lifetime) {
        this.connections = connections;
        this.id = id;
        this.settings = settings;
        this.lifetime = lifetime;
        this.commandTimeout = connections.commandTimeout();
        this.connection = connections.take();
        this.stream = new BuildLogStream(connection, connections.keys());
    }

    /** Starts the build's stream afresh; empty if Redis cannot be reached, and the build goes on without it. */
    static Optional<LiveLog> open(
            LogConnections connections, DeploymentId id, LogSettings settings, Duration lifetime) {
        LiveLog live = null;
        try {
            live = new LiveLog(connections, id, settings, lifetime);
            live.stream.clear(id);
            return Optional.of(live);
        } catch (RuntimeException e) {
            if (live != null) {
                connections.giveBack(live.connection, false);
            }
            log.warn("The log of {} is not streamed live: {}", id, e.toString());
            return Optional.empty();
        }
    }

    void send(LogLine line) {
        if (failed) {
            return;
        }
        try {
            if (!inFlight.tryAcquire(commandTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(new IllegalStateException("Redis took no line for " + commandTimeout));
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        stream.append(id, line, settings.streamMaxLines()).whenComplete((entryId, failure) -> {
            inFlight.release();
            if (failure != null) {
                stop(failure);
            }
        });
        if (!started) {
            started = true;
            // After the first entry, which made the stream; like the appends, it never waits for Redis, so an
            // unreachable Redis cannot hold up or fail the build.
            stream.expireLater(id, lifetime).whenComplete((expiring, failure) -> {
                if (failure != null) {
                    stop(failure);
                }
            });
        }
    }

    private void stop(Throwable failure) {
        if (!failed) {
            failed = true;
            log.warn("Stopped streaming the log of {} live: {}", id, failure.toString());
        }
    }

    /**
     * Marks the end of the log, waits for the lines still on their way, then lets the stream expire after
     * {@code BUILD_LOG_STREAM_TTL}, and gives the connection back: for the next build only if Redis took all of
     * this one's commands, so nothing of this build is still on it.
     */
    @Override
    public void close() {
        boolean clean = false;
        try {
            if (!failed) {
                stream.end(id, settings.streamMaxLines());
            }
            boolean drained = inFlight.tryAcquire(IN_FLIGHT, commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (drained) {
                inFlight.release(IN_FLIGHT);
            }
            stream.expire(id, settings.streamTtl());
            clean = drained && !failed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("Could not set the expiry of the live log of {}: {}", id, e.toString());
        } finally {
            connections.giveBack(connection, clean);
        }
    }
}
