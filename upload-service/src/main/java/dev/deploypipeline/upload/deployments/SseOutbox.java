package dev.deploypipeline.upload.deployments;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter.SseEventBuilder;

/**
 * The events waiting for one server-sent-events client. They are sent by shared sender threads a batch at a time,
 * so neither the reader that produces them nor a slow client holds up anyone else; a client that falls
 * {@link #MAX_WAITING} events behind is let go (its stream closes, and it goes on with {@code Last-Event-ID}). Once
 * empty, it may be refilled from a replay, a range at a time.
 */
final class SseOutbox {

    /** Events that may wait for a slow client. */
    static final int MAX_WAITING = 2_000;
    /** How long a client may go without an event before it gets a comment, so proxies keep it open. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private static final int BATCH = 100;
    private static final Logger log = LoggerFactory.getLogger(SseOutbox.class);

    /** The next events of a replay, once the outbox has run empty; none once it has ended. */
    interface Replay {
        List<SseEventBuilder> next() throws IOException;
    }

    private record Outgoing(SseEventBuilder event, long size, boolean last) {}

    private final String what;
    private final SseEmitter emitter;
    private final Executor senders;
    private final Clock clock;
    private final Runnable onClose;
    private final Deque<Outgoing> outbox = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private Replay replay;
    private SseEventBuilder afterReplay;
    private boolean lettingGo;
    private boolean draining;
    private volatile Instant lastSent;
    private long waitingBytes;

    /**
     * @param what what the client follows, for the service's log
     * @param onClose called once when the stream has ended, however it ended
     */
    SseOutbox(String what, SseEmitter emitter, Executor senders, Clock clock, Runnable onClose) {
        this.what = what;
        this.emitter = emitter;
        this.senders = senders;
        this.clock = clock;
        this.onClose = onClose;
        this.lastSent = clock.instant();
    }

    /** Queues an event; past {@link #MAX_WAITING} the client is let go instead. */
    synchronized void send(SseEventBuilder event) {
        send(event, 0);
    }

    /** Queues an event whose data holds {@code size} bytes; past {@link #MAX_WAITING} the client is let go. */
    synchronized void send(SseEventBuilder event, long size) {
        if (lettingGo) {
            return;
        }
        outbox.add(new Outgoing(event, size, false));
        waitingBytes += size;
        if (outbox.size() > MAX_WAITING) {
            log.info("A follower of {} fell {} events behind; it is let go to resume later", what, outbox.size());
            outbox.clear();
            waitingBytes = 0;
            outbox.add(new Outgoing(null, 0, true));
            lettingGo = true;
        }
        schedule();
    }

    /** Queues the last event; the stream closes once it is sent. */
    synchronized void sendLast(SseEventBuilder event) {
        outbox.add(new Outgoing(event, 0, true));
        schedule();
    }

    /** Sends what {@code replay} gives, a range at a time, then {@code last}, and closes. */
    synchronized void sendReplay(Replay replay, SseEventBuilder last) {
        this.replay = replay;
        this.afterReplay = last;
        schedule();
    }

    /** A comment when nothing was sent for {@link #KEEP_ALIVE}. */
    synchronized void keepAlive(Instant now, String comment) {
        if (outbox.isEmpty() && Duration.between(lastSent, now).compareTo(KEEP_ALIVE) >= 0) {
            outbox.add(new Outgoing(SseEmitter.event().comment(comment), 0, false));
            schedule();
        }
    }

    /** The bytes of the events waiting to be sent. */
    synchronized long waitingBytes() {
        return waitingBytes;
    }

    /** What is followed cannot be read: the stream ends with an error, and the client may come back. */
    void fail(Exception e) {
        log.warn("Could not follow {}", what, e);
        emitter.completeWithError(e);
    }

    /** Called once the stream has ended, however it ended: tells the owner, once. */
    void closed() {
        if (closed.compareAndSet(false, true)) {
            onClose.run();
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
            complete();
        }
    }

    /** Sends up to a batch, then makes way for other clients and goes on later. */
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
                    complete();
                    closed();
                    return;
                }
            }
            synchronized (this) {
                draining = false;
                schedule();
            }
        } catch (IOException | RuntimeException e) {
            log.debug("A follower of {} went away: {}", what, e.toString());
            closed(); // at once: the container tells of the end of a broken connection only later
            complete();
        }
    }

    /**
     * Ends the response, unless the container already ended it: once a client's connection broke, Tomcat refuses
     * any further use of the request from a thread of ours, and there is nothing left to end.
     */
    private void complete() {
        try {
            emitter.complete();
        } catch (IllegalStateException alreadyEnded) {
            log.debug("The stream of {} had already ended: {}", what, alreadyEnded.toString());
        }
    }

    /** The next event, refilled from the replay once the outbox is empty; null (and no longer draining) at the end. */
    private synchronized Outgoing next() throws IOException {
        if (outbox.isEmpty() && replay != null) {
            List<SseEventBuilder> events = replay.next();
            events.forEach(event -> outbox.add(new Outgoing(event, 0, false)));
            if (events.isEmpty()) {
                replay = null;
                outbox.add(new Outgoing(afterReplay, 0, true));
            }
        }
        Outgoing next = closed.get() ? null : outbox.poll();
        if (next == null) {
            draining = false;
        } else {
            waitingBytes -= next.size();
        }
        return next;
    }
}
