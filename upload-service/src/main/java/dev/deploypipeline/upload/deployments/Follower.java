package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.buildlog.BuildLogStream;
import dev.deploypipeline.buildlog.LogEntry;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter.SseEventBuilder;

/**
 * One client following one log, as server-sent events. Its events wait in a small outbox and are sent by the
 * shared sender threads a batch at a time, so neither the reader of the stream nor a slow client holds up anyone
 * else; a client that falls {@link #MAX_WAITING} events behind is let go (its stream closes, and it goes on with
 * {@code Last-Event-ID}). A replay of a stored log refills the outbox a range at a time once it is empty.
 */
final class Follower {

    /** Events that may wait for a slow client. */
    static final int MAX_WAITING = 2_000;
    /** How long a follower may go without an event before it gets a comment, so proxies keep it open. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private static final int BATCH = 100;
    private static final Logger log = LoggerFactory.getLogger(Follower.class);

    private record Outgoing(SseEventBuilder event, boolean last) {}

    private final DeploymentId id;
    private final SseEmitter emitter;
    private final Executor senders;
    private final Clock clock;
    private final Consumer<Follower> onClose;
    private final Deque<Outgoing> outbox = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private StoredLogReplay replay;
    private DeploymentState replayEnd;
    private String last;
    private boolean draining;
    private volatile Instant lastSent;

    Follower(
            DeploymentId id,
            SseEmitter emitter,
            String last,
            Executor senders,
            Clock clock,
            Consumer<Follower> onClose) {
        this.id = id;
        this.emitter = emitter;
        this.last = last;
        this.senders = senders;
        this.clock = clock;
        this.onClose = onClose;
        this.lastSent = clock.instant();
    }

    DeploymentId deployment() {
        return id;
    }

    /** Sends the stored log, then {@code end} with the deployment's final state. */
    synchronized void replay(StoredLogReplay stored, DeploymentState state) {
        this.replay = stored;
        this.replayEnd = state;
        schedule();
    }

    /** The id of the last entry it has been given. */
    synchronized String last() {
        return last;
    }

    /** Queues the entries it has not had yet (a line each; the mark of the log's end sends nothing). */
    synchronized void offer(List<LogEntry> entries) {
        for (LogEntry entry : entries) {
            if (BuildLogStream.compareIds(entry.id(), last) <= 0) {
                continue;
            }
            last = entry.id();
            if (!entry.isEnd()) {
                outbox.add(new Outgoing(
                        SseEmitter.event().id(entry.id()).data(entry.line().toString()), false));
            }
        }
        if (outbox.size() > MAX_WAITING) {
            log.info(
                    "A follower of the log of {} fell {} lines behind; it is let go to resume later",
                    id,
                    outbox.size());
            outbox.clear();
            outbox.add(new Outgoing(null, true));
        }
        schedule();
    }

    /** Queues the {@code end} event with the final state; the stream closes once it is sent. */
    synchronized void end(DeploymentState state) {
        outbox.add(new Outgoing(SseEmitter.event().name("end").data(state.word()), true));
        schedule();
    }

    /** A comment when nothing was sent for {@link #KEEP_ALIVE}. */
    synchronized void keepAlive(Instant now) {
        if (outbox.isEmpty() && Duration.between(lastSent, now).compareTo(KEEP_ALIVE) >= 0) {
            outbox.add(new Outgoing(SseEmitter.event().comment("still building"), false));
            schedule();
        }
    }

    /** The log cannot be read: the stream ends with an error, and the client may come back. */
    void fail(Exception e) {
        log.warn("Could not follow the log of {}", id, e);
        emitter.completeWithError(e);
    }

    /** Called once the stream has ended, however it ended: gives its place back. */
    void closed() {
        if (closed.compareAndSet(false, true)) {
            onClose.accept(this);
        }
    }

    private void schedule() {
        if (draining || closed.get()) {
            return;
        }
        draining = true;
        try {
            senders.execute(this::drain);
        } catch (RejectedExecutionException shuttingDown) {
            emitter.complete();
        }
    }

    /** Sends up to a batch, then makes way for other followers and goes on later. */
    private void drain() {
        try {
            for (int sent = 0; sent < BATCH; sent++) {
                Outgoing next = next();
                if (next == null) {
                    return;
                }
                if (next.event() != null) {
                    emitter.send(next.event());
                    lastSent = clock.instant();
                }
                if (next.last()) {
                    emitter.complete();
                    closed();
                    return;
                }
            }
            synchronized (this) {
                draining = false;
                schedule();
            }
        } catch (IOException | RuntimeException e) {
            log.debug("A follower of the log of {} went away: {}", id, e.toString());
            emitter.complete();
            closed(); // at once: the container tells of the end of a broken connection only later
        }
    }

    /** The next event, refilled from the replay once the outbox is empty; null (and no longer draining) at the end. */
    private synchronized Outgoing next() throws IOException {
        if (outbox.isEmpty() && replay != null) {
            List<String> lines = replay.next();
            lines.forEach(line -> outbox.add(new Outgoing(SseEmitter.event().data(line), false)));
            if (lines.isEmpty()) {
                replay = null;
                outbox.add(new Outgoing(SseEmitter.event().name("end").data(replayEnd.word()), true));
            }
        }
        Outgoing next = closed.get() ? null : outbox.poll();
        if (next == null) {
            draining = false;
        }
        return next;
    }
}
