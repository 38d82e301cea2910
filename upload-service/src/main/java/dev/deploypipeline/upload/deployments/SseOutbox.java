package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.threads.NamedThreads;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The events waiting for one server-sent-events client, at most {@code LOG_FOLLOWERS_BUFFER} of them in bytes and
 * {@link #MAX_WAITING} in number. They are sent a batch at a time by sender threads, so neither the reader that
 * produces them nor a slow client holds up anyone else. When it is full, {@link #offer} takes no more until it has
 * sent half of what waits ({@code onRoom} then tells its owner); {@link #send} lets the client go instead (its
 * stream closes, and it goes on with {@code Last-Event-ID}). Once empty, it may be refilled from a replay, a range
 * at a time.
 */
final class SseOutbox {

    /** Events that may wait for a slow client. */
    static final int MAX_WAITING = 2_000;
    /** How long a client may go without an event before it gets a comment, so proxies keep it open. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private static final int BATCH = 100;
    private static final Duration IDLE_SENDER = Duration.ofSeconds(30);
    private static final SseMessage FELL_BEHIND =
            SseMessage.of(SseEmitter.event().comment("fell behind: go on with Last-Event-ID"));
    private static final Logger log = LoggerFactory.getLogger(SseOutbox.class);

    /** The next events of a replay, once the outbox has run empty; none once it has ended. */
    interface Replay {
        List<SseMessage> next() throws IOException;
    }

    private record Outgoing(SseMessage message, boolean last) {

        long size() {
            return message == null ? 0 : message.size();
        }
    }

    private final String what;
    private final SseEmitter emitter;
    private final Executor senders;
    private final Clock clock;
    private final long buffer;
    private final Runnable onRoom;
    private final Runnable onClose;
    private final Deque<Outgoing> outbox = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private Replay replay;
    private SseMessage afterReplay;
    private long waitingBytes;
    private boolean full;
    private boolean lettingGo;
    private boolean draining;
    private volatile Instant lastSent;

    /**
     * @param what what the client follows, for the service's log
     * @param buffer the most that may wait for the client, in bytes
     * @param onRoom called when a full outbox has room again
     * @param onClose called once when the stream has ended, however it ended
     */
    SseOutbox(
            String what,
            SseEmitter emitter,
            Executor senders,
            Clock clock,
            DataSize buffer,
            Runnable onRoom,
            Runnable onClose) {
        this.what = what;
        this.emitter = emitter;
        this.senders = senders;
        this.clock = clock;
        this.buffer = buffer.toBytes();
        this.onRoom = onRoom;
        this.onClose = onClose;
        this.lastSent = clock.instant();
    }

    /**
     * Sender threads, made as clients have something to send and ended when idle, up to {@code most} (one per
     * client that may be followed at once): a blocking write to a client that stopped reading holds up only the
     * thread writing to it, until Tomcat's write timeout ({@code server.tomcat.connection-timeout}) ends it.
     */
    static ExecutorService senders(String prefix, int most) {
        return new ThreadPoolExecutor(
                0,
                most,
                IDLE_SENDER.toSeconds(),
                TimeUnit.SECONDS,
                new SynchronousQueue<>(),
                NamedThreads.numbered(prefix));
    }

    /** Queues an event, unless the outbox is full: then false, and it takes none until it has room again. */
    synchronized boolean offer(SseMessage message) {
        if (lettingGo) {
            return true;
        }
        if (!outbox.isEmpty() && (waitingBytes + message.size() > buffer || outbox.size() >= MAX_WAITING)) {
            full = true;
            return false;
        }
        outbox.add(new Outgoing(message, false));
        waitingBytes += message.size();
        schedule();
        return true;
    }

    /** Queues an event; when the outbox is full the client is let go instead. */
    synchronized void send(SseMessage message) {
        if (!offer(message)) {
            log.info(
                    "A follower of {} fell {} events ({} bytes) behind; it is let go to resume later",
                    what,
                    outbox.size(),
                    waitingBytes);
            outbox.clear();
            waitingBytes = 0;
            outbox.add(new Outgoing(FELL_BEHIND, false));
            outbox.add(new Outgoing(null, true));
            lettingGo = true;
            schedule();
        }
    }

    /** Queues the last event; the stream closes once it is sent. */
    synchronized void sendLast(SseMessage message) {
        outbox.add(new Outgoing(message, true));
        schedule();
    }

    /** Sends what {@code replay} gives, a range at a time, then {@code last}, and closes. */
    synchronized void sendReplay(Replay replay, SseMessage last) {
        this.replay = replay;
        this.afterReplay = last;
        schedule();
    }

    /** A comment when nothing was sent for {@link #KEEP_ALIVE}. */
    synchronized void keepAlive(Instant now, SseMessage comment) {
        if (outbox.isEmpty() && Duration.between(lastSent, now).compareTo(KEEP_ALIVE) >= 0) {
            outbox.add(new Outgoing(comment, false));
            schedule();
        }
    }

    /** Whether it takes no more events until it has sent half of what waits. */
    synchronized boolean full() {
        return full;
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
        } catch (RejectedExecutionException stoppingOrSaturated) {
            draining = false;
            complete(); // the client goes on with Last-Event-ID
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
                if (next.message() != null) {
                    emitter.send(next.message().parts());
                    lastSent = clock.instant();
                }
                if (next.last()) {
                    complete();
                    closed();
                    return;
                }
                if (tookRoom()) {
                    onRoom.run();
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

    /** Whether a full outbox has sent half of what waited, and takes events again. */
    private synchronized boolean tookRoom() {
        if (full && waitingBytes <= buffer / 2 && outbox.size() <= MAX_WAITING / 2) {
            full = false;
            return true;
        }
        return false;
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
            List<SseMessage> messages = replay.next();
            messages.forEach(message -> {
                outbox.add(new Outgoing(message, false));
                waitingBytes += message.size();
            });
            if (messages.isEmpty()) {
                replay = null;
                outbox.add(new Outgoing(afterReplay, true));
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
