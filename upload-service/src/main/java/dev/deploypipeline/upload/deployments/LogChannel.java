package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.buildlog.BuildLogStream;
import dev.deploypipeline.buildlog.LogEntry;
import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.redis.RedisConnection;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.upload.problems.DeploymentNotFoundException;
import io.lettuce.core.RedisException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reader of a deployment's live log ({@code logs:{id}}) for all who follow it: a thread of its own blocks
 * in XREAD on a connection of its own (named {@code log-reader:{id}}), hands each entry to every follower, and
 * ends them all with the deployment's final state once its last lines are in. It reads on from the oldest place
 * any follower is at, so one who comes late (from the start, or with a {@code Last-Event-ID}) gets what it
 * missed while the others skip what they have had; a newcomer wakes the blocked read (CLIENT UNBLOCK). A follower
 * whose outbox is full is left out of that until it has room again, so one that stopped reading holds no more than
 * its buffer and holds up no one. It stops when its last follower leaves.
 */
final class LogChannel {

    /** How long followers wait for the end of the log once the deployment has ended (cancelled, say). */
    static final Duration LAST_LINES_GRACE = Duration.ofSeconds(5);

    private static final Duration LONGEST_BLOCK = Duration.ofSeconds(2);
    /** The block once the end is near (the log has ended, or the deployment has): its final state comes soon. */
    private static final Duration SHORT_BLOCK = Duration.ofMillis(200);

    private static final Logger log = LoggerFactory.getLogger(LogChannel.class);

    private final DeploymentId id;
    private final BuildLogReader reader;
    private final RedisConnector redis;
    private final Clock clock;
    private final Duration block;
    private final Consumer<LogChannel> onStop;
    private final Set<Follower> followers = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile Long clientId;
    private boolean running = true;
    private boolean logEnded;
    private Instant endedAt;

    LogChannel(DeploymentId id, BuildLogReader reader, RedisConnector redis, Clock clock, Consumer<LogChannel> onStop) {
        this.id = id;
        this.reader = reader;
        this.redis = redis;
        this.clock = clock;
        this.onStop = onStop;
        // The client gives up on a command after its timeout: the block must end well before that.
        Duration half = redis.settings().commandTimeout().dividedBy(2);
        this.block = half.compareTo(LONGEST_BLOCK) < 0 ? half : LONGEST_BLOCK;
        this.thread = new Thread(this::run, "log-reader-" + id);
        thread.setDaemon(true);
    }

    DeploymentId deployment() {
        return id;
    }

    void start() {
        thread.start();
    }

    /** Adds a follower, unless the channel is ending; then the caller starts another one. */
    synchronized boolean join(Follower follower) {
        if (!running) {
            return false;
        }
        followers.add(follower);
        wake();
        return true;
    }

    /** A follower that was full has room again: the reader reads on from its place. */
    synchronized void roomFor(Follower follower) {
        if (followers.contains(follower)) {
            wake();
        }
    }

    synchronized void leave(Follower follower) {
        if (followers.remove(follower) && followers.isEmpty()) {
            running = false;
            wake();
        }
    }

    /** At shutdown: its followers' streams close, and the reader stops. */
    synchronized void stop() {
        running = false;
        wake();
        followers.forEach(follower -> follower.fail(new IllegalStateException("the service is stopping")));
    }

    private void run() {
        try (RedisConnection connection = redis.connect()) {
            connection.name("log-reader:" + id);
            BuildLogStream stream = new BuildLogStream(connection, redis.keys());
            for (Optional<String> from = oldestPlace(); from.isPresent(); from = oldestPlace()) {
                clientId = connection.clientIdAt(redis.keys().buildLog(id.value())); // after a reconnect it is another
                Duration wait = (logEnded || endedAt != null) && SHORT_BLOCK.compareTo(block) < 0 ? SHORT_BLOCK : block;
                List<LogEntry> entries = stream.readAfter(id, from.get(), BuildLogReader.PAGE, wait);
                deliver(entries);
                String reached = entries.isEmpty()
                        ? from.get()
                        : entries.get(entries.size() - 1).id();
                if (entries.size() < BuildLogReader.PAGE && endIfFinal(reached)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RedisException | DeploymentNotFoundException e) {
            synchronized (this) {
                running = false;
                followers.forEach(follower -> follower.fail(e));
            }
        } finally {
            onStop.accept(this);
        }
    }

    /**
     * Where to read on from: the oldest place of a follower with room for more, waiting while every one is full;
     * empty once none is left.
     */
    private synchronized Optional<String> oldestPlace() throws InterruptedException {
        while (running && !followers.isEmpty() && followers.stream().allMatch(Follower::full)) {
            wait(block.toMillis()); // until one has room, comes or leaves (wake)
        }
        if (!running) {
            return Optional.empty();
        }
        return followers.stream()
                .filter(follower -> !follower.full())
                .map(Follower::last)
                .min(BuildLogStream::compareIds);
    }

    private void deliver(List<LogEntry> entries) {
        if (!entries.isEmpty()) {
            // Only the end of what was read says whether the log has ended: an attempt that was handed back and
            // built again goes on after its first end.
            logEnded = entries.get(entries.size() - 1).isEnd();
            List<Follower.Entry> encoded = Follower.Entry.of(entries); // once, however many follow
            followers.forEach(follower -> follower.offer(encoded));
        }
        Instant now = clock.instant();
        followers.forEach(follower -> follower.keepAlive(now));
    }

    /**
     * Ends every follower with the final state, once the deployment has ended and its last lines are in: the end of
     * its log was seen, or it never built, or the lines have had {@link #LAST_LINES_GRACE} to come. Not while a
     * follower that came meanwhile has yet to get what was read ({@code reached}).
     */
    private boolean endIfFinal(String reached) {
        if (reader.state(id).filter(DeploymentState::isFinal).isEmpty()) {
            return false;
        }
        Deployment deployment = reader.deployment(id);
        endedAt = endedAt == null ? clock.instant() : endedAt;
        boolean linesIn = logEnded
                || deployment.buildStartedAt() == null
                || Duration.between(endedAt, clock.instant()).compareTo(LAST_LINES_GRACE) >= 0;
        if (!linesIn) {
            return false;
        }
        synchronized (this) {
            if (followers.stream().anyMatch(follower -> BuildLogStream.compareIds(follower.last(), reached) < 0)) {
                return false;
            }
            running = false;
            followers.forEach(follower -> follower.end(deployment.status()));
        }
        return true;
    }

    /** Ends the read or the wait the reader is in, so it reads again with the followers as they are now. */
    private synchronized void wake() {
        notifyAll();
        Long blocked = clientId;
        if (blocked == null || Thread.currentThread() == thread) {
            return;
        }
        try {
            redis.shared().unblock(redis.keys().buildLog(id.value()), blocked);
        } catch (RedisException e) {
            log.debug("Could not wake the reader of the log of {}: {}", id, e.toString());
        }
    }
}
