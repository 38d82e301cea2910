package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.buildlog.BuildLogStream;
import dev.deploypipeline.buildlog.LogEntry;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client following one log, as server-sent events: a line per event, with its stream entry as the event's id,
 * then {@code end} with the final state. Its events wait in an {@link SseOutbox}, so a slow client holds up no one;
 * once that is full, it takes no more lines until it has room, and then reads on from the last line it took.
 */
final class Follower {

    private static final SseMessage KEEP_ALIVE =
            SseMessage.of(SseEmitter.event().comment("still building"));

    /** An entry of the log as followers are sent it: a line encoded once for all of them, or the end (null). */
    record Entry(String id, SseMessage event) {

        static List<Entry> of(List<LogEntry> entries) {
            return entries.stream()
                    .map(entry -> new Entry(
                            entry.id(),
                            entry.isEnd()
                                    ? null
                                    : SseMessage.of(SseEmitter.event()
                                            .id(entry.id())
                                            .data(entry.line().toString()))))
                    .toList();
        }
    }

    private final DeploymentId id;
    private final SseOutbox outbox;
    private String last;

    /**
     * @param onRoom called when it had no room for more lines and has again
     * @param onClose called once when the stream has ended, however it ended
     */
    Follower(
            DeploymentId id,
            SseEmitter emitter,
            String last,
            Executor senders,
            Clock clock,
            DataSize buffer,
            Consumer<Follower> onRoom,
            Consumer<Follower> onClose) {
        this.id = id;
        this.last = last;
        this.outbox = new SseOutbox(
                "the log of " + id,
                emitter,
                senders,
                clock,
                buffer,
                () -> onRoom.accept(this),
                () -> onClose.accept(this));
    }

    DeploymentId deployment() {
        return id;
    }

    /** Sends the stored log, then {@code end} with the deployment's final state. */
    void replay(StoredLogReplay stored, DeploymentState state) {
        outbox.sendReplay(
                () -> stored.next().stream()
                        .map(line -> SseMessage.of(SseEmitter.event().data(line)))
                        .toList(),
                SseMessage.of(SseEmitter.event().name("end").data(state.word())));
    }

    /** The id of the last entry it has taken. */
    synchronized String last() {
        return last;
    }

    /** Whether it takes no lines until it has sent some of those waiting: the reader then reads on without it. */
    boolean full() {
        return outbox.full();
    }

    /**
     * Queues the entries it has not had yet, up to what its outbox holds (a line each; the mark of the log's end
     * sends nothing). The rest it takes from a later read, once it has room.
     */
    synchronized void offer(List<Entry> entries) {
        for (Entry entry : entries) {
            if (BuildLogStream.compareIds(entry.id(), last) <= 0) {
                continue;
            }
            if (entry.event() != null && !outbox.offer(entry.event())) {
                return;
            }
            last = entry.id();
        }
    }

    /** The bytes of the lines waiting to be sent to it. */
    long waitingBytes() {
        return outbox.waitingBytes();
    }

    /** Queues the {@code end} event with the final state; the stream closes once it is sent. */
    void end(DeploymentState state) {
        outbox.sendLast(SseMessage.of(SseEmitter.event().name("end").data(state.word())));
    }

    /** A comment when nothing was sent for a while, so proxies keep the stream open. */
    void keepAlive(Instant now) {
        outbox.keepAlive(now, KEEP_ALIVE);
    }

    /** The log cannot be read: the stream ends with an error, and the client may come back. */
    void fail(Exception e) {
        outbox.fail(e);
    }

    /** Called once the stream has ended, however it ended: gives its place back. */
    void closed() {
        outbox.closed();
    }
}
