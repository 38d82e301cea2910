package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.buildlog.BuildLogStream;
import dev.deploypipeline.buildlog.LogEntry;
import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.storage.StoredObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Follows build logs for {@code GET /deployments/{id}/logs?follow=true}, as server-sent events: one event per
 * line (its id is the stream entry's, so a client that reconnects with {@code Last-Event-ID} resumes there),
 * then an {@code end} event whose data is the final state. Each follower polls the live stream every
 * {@link #POLL} on a small shared pool, with no thread or connection of its own.
 */
@Component
class LogFollowers implements AutoCloseable {

    /** How often a follower looks for new lines. */
    static final Duration POLL = Duration.ofMillis(200);
    /** How long a follower waits for the end of the log once its deployment has ended (cancelled, say). */
    static final Duration LAST_LINES_GRACE = Duration.ofSeconds(5);
    /** Longest a follow lasts; the client may reconnect with {@code Last-Event-ID} and go on. */
    static final Duration LONGEST = Duration.ofHours(1);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    private static final Logger log = LoggerFactory.getLogger(LogFollowers.class);

    private final BuildLogReader reader;
    private final Clock clock;
    private final ScheduledExecutorService polls;

    LogFollowers(BuildLogReader reader, Clock clock) {
        this.reader = reader;
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        this.polls = Executors.newScheduledThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "log-follower-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts following after the entry {@code lastEventId} (or from the start); the emitter completes at the end. */
    SseEmitter follow(Deployment deployment, Optional<String> lastEventId) {
        SseEmitter emitter = new SseEmitter(LONGEST.toMillis());
        Follower follower = new Follower(deployment.id(), emitter,
                lastEventId.filter(BuildLogStream::isEntryId).orElse(BuildLogStream.START));
        emitter.onCompletion(follower::stop);
        emitter.onTimeout(emitter::complete);
        emitter.onError(failure -> follower.stop());
        polls.execute(deployment.status().isFinal() && lastEventId.isEmpty() ? () -> follower.replay(deployment)
                : follower::poll);
        return emitter;
    }

    /** One client following one log. Runs on one pool thread at a time: each poll schedules the next. */
    private final class Follower {

        private final DeploymentId id;
        private final SseEmitter emitter;
        private String last;
        private boolean logEnded;
        private Instant endedAt;
        private Instant lastSent;
        private volatile boolean stopped;

        Follower(DeploymentId id, SseEmitter emitter, String last) {
            this.id = id;
            this.emitter = emitter;
            this.last = last;
            this.lastSent = clock.instant();
        }

        void stop() {
            stopped = true;
        }

        /** The deployment had ended when the client came: its whole log, then the end. */
        void replay(Deployment deployment) {
            try {
                Optional<StoredObject> stored = reader.stored(deployment);
                if (stored.isEmpty()) {
                    poll();
                    return;
                }
                try (StoredObject log = stored.get();
                        BufferedReader lines = new BufferedReader(
                                new InputStreamReader(log.body(), StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null && !stopped; line = lines.readLine()) {
                        emitter.send(SseEmitter.event().data(line));
                    }
                }
                end(deployment.status());
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        void poll() {
            if (stopped) {
                return;
            }
            try {
                List<LogEntry> page = reader.after(id, last);
                send(page);
                if (page.size() == BuildLogReader.PAGE) {
                    polls.execute(this::poll); // more is waiting
                    return;
                }
                Optional<DeploymentState> state = page.isEmpty() ? finalState() : Optional.empty();
                if (state.isPresent()) {
                    end(state.get());
                    return;
                }
                keepAlive();
                polls.schedule(this::poll, POLL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        private void send(List<LogEntry> page) throws IOException {
            for (LogEntry entry : page) {
                if (entry.isEnd()) {
                    logEnded = true;
                } else {
                    logEnded = false; // an attempt that was handed back and built again goes on after its end
                    emitter.send(SseEmitter.event().id(entry.id()).data(entry.line().toString()));
                    lastSent = clock.instant();
                }
                last = entry.id();
            }
        }

        /**
         * The state to end with, once the deployment has ended and its last lines are in: the end of its log was
         * seen, or it never built, or the lines have had {@link #LAST_LINES_GRACE} to come.
         */
        private Optional<DeploymentState> finalState() {
            if (reader.state(id).filter(DeploymentState::isFinal).isEmpty()) {
                return Optional.empty();
            }
            Deployment deployment = reader.deployment(id);
            endedAt = endedAt == null ? clock.instant() : endedAt;
            boolean linesIn = logEnded || deployment.buildStartedAt() == null
                    || Duration.between(endedAt, clock.instant()).compareTo(LAST_LINES_GRACE) >= 0;
            return linesIn ? Optional.of(deployment.status()) : Optional.empty();
        }

        private void keepAlive() throws IOException {
            if (Duration.between(lastSent, clock.instant()).compareTo(KEEP_ALIVE) >= 0) {
                emitter.send(SseEmitter.event().comment("still building"));
                lastSent = clock.instant();
            }
        }

        private void end(DeploymentState state) throws IOException {
            emitter.send(SseEmitter.event().name("end").data(state.word()));
            emitter.complete();
        }

        private void fail(Exception e) {
            if (e instanceof IOException || e instanceof UncheckedIOException) {
                log.debug("A follower of the log of {} went away: {}", id, e.toString());
                emitter.complete();
            } else {
                log.warn("Could not follow the log of {}", id, e);
                emitter.completeWithError(e);
            }
        }
    }

    @Override
    public void close() {
        polls.shutdownNow();
    }
}
