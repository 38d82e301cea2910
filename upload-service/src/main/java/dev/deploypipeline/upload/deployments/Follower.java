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
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client following one log, as server-sent events: a line per event, with its stream entry as the event's id,
 * then {@code end} with the final state. Its events wait in an {@link SseOutbox}, so a slow client holds up no one.
 */
final class Follower {

    private final DeploymentId id;
    private final SseOutbox outbox;
    private String last;

    Follower(
            DeploymentId id,
            SseEmitter emitter,
            String last,
            Executor senders,
            Clock clock,
            Consumer<Follower> onClose) {
        this.id = id;
        this.last = last;
        this.outbox = new SseOutbox("the log of " + id, emitter, senders, clock, () -> onClose.accept(this));
    }

    DeploymentId deployment() {
        return id;
    }

    /** Sends the stored log, then {@code end} with the deployment's final state. */
    void replay(StoredLogReplay stored, DeploymentState state) {
        outbox.sendReplay(
                () -> stored.next().stream()
                        .map(line -> SseEmitter.event().data(line))
                        .toList(),
                SseEmitter.event().name("end").data(state.word()));
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
                String line = entry.line().toString();
                outbox.send(SseEmitter.event().id(entry.id()).data(line), line.length());
            }
        }
    }

    /** The bytes of the lines waiting to be sent to it. */
    long waitingBytes() {
        return outbox.waitingBytes();
    }

    /** Queues the {@code end} event with the final state; the stream closes once it is sent. */
    void end(DeploymentState state) {
        outbox.sendLast(SseEmitter.event().name("end").data(state.word()));
    }

    /** A comment when nothing was sent for a while, so proxies keep the stream open. */
    void keepAlive(Instant now) {
        outbox.keepAlive(now, "still building");
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
