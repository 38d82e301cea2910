package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.buildlog.BuildLogStream;
import dev.deploypipeline.deployment.DeploymentEvent;
import dev.deploypipeline.deployment.DeploymentEvents;
import dev.deploypipeline.redis.RedisConnection;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.upload.deployments.FollowerSlots.Slot;
import io.lettuce.core.RedisException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /events}: every move of every deployment as it is made, as server-sent events read from the
 * {@code deployment-events} stream. However many watch, one thread reads the stream for all of them, blocked in
 * XREAD on a connection of its own (named {@code event-reader}), from the oldest place any watcher is at, and stops
 * when the last one leaves; each move is encoded once and goes out through sender threads, so a slow client holds
 * up no one, and one with {@code LOG_FOLLOWERS_BUFFER} waiting is let go. Each event's id
 * is its stream entry, so a client that reconnects with {@code Last-Event-ID} misses nothing the stream still holds.
 * The caps of the log followers ({@code LOG_FOLLOWERS_MAX}, {@code LOG_FOLLOWERS_PER_CLIENT}) hold here too,
 * counted apart.
 */
@Component
class DeploymentEventFeed implements AutoCloseable {

    private static final Duration LONGEST_BLOCK = Duration.ofSeconds(2);
    private static final int PAGE = 200;
    private static final Logger log = LoggerFactory.getLogger(DeploymentEventFeed.class);

    private static final SseMessage WATCHING = SseMessage.of(SseEmitter.event().comment("watching"));
    private static final SseMessage NO_NEWS = SseMessage.of(SseEmitter.event().comment("no news"));

    private final RedisConnector redis;
    private final DeploymentEvents events;
    private final JsonMapper json;
    private final DataSize buffer;
    private final Clock clock;
    private final FollowerSlots slots;
    private final ExecutorService senders;
    private final Duration block;
    private final Set<Watcher> watchers = new HashSet<>();
    private Thread reader;
    private volatile Long readerClient;

    DeploymentEventFeed(
            RedisConnector redis, DeploymentEvents events, JsonMapper json, Clock clock, LogFollowerSettings settings) {
        this.redis = redis;
        this.events = events;
        this.json = json;
        this.buffer = settings.buffer();
        this.clock = clock;
        this.slots = new FollowerSlots(settings);
        this.senders = SseOutbox.senders("event-sender", settings.max());
        Duration half = redis.settings().commandTimeout().dividedBy(2);
        this.block = half.compareTo(LONGEST_BLOCK) < 0 ? half : LONGEST_BLOCK;
    }

    /** Sends the moves made after the entry {@code lastEventId}, or from now on; 429 past the caps. */
    SseEmitter watch(Optional<String> lastEventId, String client) {
        Slot slot = slots.take(client);
        String from;
        try {
            from = lastEventId.filter(BuildLogStream::isEntryId).orElseGet(events::newestId);
        } catch (RuntimeException e) { // Redis did not answer: the place is given back, the client told 503
            slot.release();
            throw e;
        }
        SseEmitter emitter = new SseEmitter(LogFollowers.LONGEST.toMillis());
        Watcher watcher = new Watcher(emitter, from, slot);
        emitter.onCompletion(watcher.outbox::closed);
        emitter.onTimeout(emitter::complete);
        emitter.onError(failure -> watcher.outbox.closed());
        join(watcher);
        // At once, so the answer's headers go out (and the client knows it watches) before the first move.
        watcher.outbox.send(WATCHING);
        return emitter;
    }

    private synchronized void join(Watcher watcher) {
        watchers.add(watcher);
        if (reader == null) {
            reader = new Thread(this::read, "event-reader");
            reader.setDaemon(true);
            reader.start();
        } else {
            wake();
        }
    }

    private synchronized void leave(Watcher watcher) {
        watcher.slot.release();
        watchers.remove(watcher);
    }

    private void read() {
        try (RedisConnection connection = redis.connect()) {
            connection.name("event-reader");
            DeploymentEvents stream = new DeploymentEvents(connection, redis.keys());
            for (Optional<String> from = oldestPlace(); from.isPresent(); from = oldestPlace()) {
                readerClient =
                        connection.clientIdAt(redis.keys().deploymentEvents()); // after a reconnect it is another
                deliver(stream.readAfter(from.get(), PAGE, block));
            }
        } catch (RedisException e) {
            failAll(e);
        }
    }

    /** Where to read on from: the oldest place of a watcher; empty, and the reader gone, once none is left. */
    private synchronized Optional<String> oldestPlace() {
        Optional<String> oldest = watchers.stream().map(Watcher::last).min(BuildLogStream::compareIds);
        if (oldest.isEmpty()) {
            reader = null;
            readerClient = null;
        }
        return oldest;
    }

    private void deliver(List<DeploymentEvent> moves) {
        List<Move> encoded = moves.stream() // once, however many watch
                .map(move -> new Move(
                        move.entryId(),
                        SseMessage.of(SseEmitter.event()
                                .id(move.entryId())
                                .name("deployment")
                                .data(json.writeValueAsString(DeploymentEventView.of(move))))))
                .toList();
        Instant now = clock.instant();
        for (Watcher watcher : watching()) {
            watcher.offer(encoded);
            watcher.outbox.keepAlive(now, NO_NEWS);
        }
    }

    /** A move as watchers are sent it. */
    private record Move(String entryId, SseMessage event) {}

    private synchronized List<Watcher> watching() {
        return List.copyOf(watchers);
    }

    private synchronized void failAll(RedisException e) {
        reader = null;
        readerClient = null;
        List.copyOf(watchers).forEach(watcher -> watcher.outbox.fail(e));
    }

    /** Ends the read the reader is blocked in, so it reads again from the place of a watcher that just came. */
    private void wake() {
        Long blocked = readerClient;
        if (blocked == null) {
            return;
        }
        try {
            redis.shared().unblock(redis.keys().deploymentEvents(), blocked);
        } catch (RedisException e) {
            log.debug("Could not wake the reader of the deployment events: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() {
        List.copyOf(watchers)
                .forEach(watcher -> watcher.outbox.fail(new IllegalStateException("the service is stopping")));
        senders.shutdownNow();
    }

    /** One client watching, and the entry it was given last. */
    private final class Watcher {

        private final SseOutbox outbox;
        private final Slot slot;
        private String last;

        Watcher(SseEmitter emitter, String last, Slot slot) {
            this.last = last;
            this.slot = slot;
            this.outbox = new SseOutbox(
                    "the deployment events", emitter, senders, clock, buffer, () -> {}, () -> leave(this));
        }

        synchronized String last() {
            return last;
        }

        synchronized void offer(List<Move> moves) {
            for (Move move : moves) {
                if (BuildLogStream.compareIds(move.entryId(), last) > 0) {
                    last = move.entryId();
                    outbox.send(move.event());
                }
            }
        }
    }
}
