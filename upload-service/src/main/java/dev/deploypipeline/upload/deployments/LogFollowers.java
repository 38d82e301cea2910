package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.buildlog.BuildLogStream;
import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.upload.deployments.FollowerSlots.Slot;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Follows build logs for {@code GET /deployments/{id}/logs?follow=true}, as server-sent events: one event per line
 * (its id is the stream entry's, so a client that reconnects with {@code Last-Event-ID} resumes there), then an
 * {@code end} event whose data is the final state. Each followed deployment has one {@link LogChannel}, one
 * blocking reader of its stream shared by all its followers; a deployment that had ended has its stored log
 * replayed a range at a time. What waits for a follower is held to {@code LOG_FOLLOWERS_BUFFER}; each line is
 * encoded once for all who follow it. At most {@code LOG_FOLLOWERS_MAX} follow at once, {@code LOG_FOLLOWERS_PER_CLIENT}
 * from one address; past either, a 429.
 */
@Component
class LogFollowers implements AutoCloseable {

    /** Longest a follow lasts; the client may reconnect with {@code Last-Event-ID} and go on. */
    static final Duration LONGEST = Duration.ofHours(1);

    private final BuildLogReader reader;
    private final RedisConnector redis;
    private final Clock clock;
    private final DataSize buffer;
    private final FollowerSlots slots;
    private final ExecutorService senders;
    private final Map<DeploymentId, LogChannel> channels = new HashMap<>();
    private final Map<Follower, Slot> places = new ConcurrentHashMap<>();

    LogFollowers(BuildLogReader reader, RedisConnector redis, Clock clock, LogFollowerSettings settings) {
        this.reader = reader;
        this.redis = redis;
        this.clock = clock;
        this.buffer = settings.buffer();
        this.slots = new FollowerSlots(settings);
        this.senders = SseOutbox.senders("log-sender", settings.max());
    }

    /**
     * Starts following after the entry {@code lastEventId} (or from the start) for {@code client}, its address;
     * the emitter completes at the end.
     */
    SseEmitter follow(Deployment deployment, Optional<String> lastEventId, String client) {
        Slot slot = slots.take(client);
        Optional<Long> stored;
        try {
            stored = deployment.status().isFinal() && lastEventId.isEmpty()
                    ? reader.storedLength(deployment)
                    : Optional.empty();
        } catch (RuntimeException e) { // the bucket did not answer: the place is given back, the client told 503
            slot.release();
            throw e;
        }
        SseEmitter emitter = new SseEmitter(LONGEST.toMillis());
        Follower follower = new Follower(
                deployment.id(),
                emitter,
                lastEventId.filter(BuildLogStream::isEntryId).orElse(BuildLogStream.START),
                senders,
                clock,
                buffer,
                this::hasRoom,
                this::left);
        places.put(follower, slot);
        emitter.onCompletion(follower::closed);
        emitter.onTimeout(emitter::complete);
        emitter.onError(failure -> follower.closed());
        if (stored.isPresent()) {
            follower.replay(reader.replay(deployment, stored.get()), deployment.status());
        } else {
            join(follower);
        }
        return emitter;
    }

    /** How many follow now, replays included. */
    int following() {
        return slots.taken();
    }

    /** The bytes of the lines waiting for followers, counted once per follower. */
    long waitingBytes() {
        return places.keySet().stream().mapToLong(Follower::waitingBytes).sum();
    }

    private void join(Follower follower) {
        synchronized (channels) {
            LogChannel channel = channels.get(follower.deployment());
            if (channel == null || !channel.join(follower)) {
                channel = new LogChannel(follower.deployment(), reader, redis, clock, this::stopped);
                channel.join(follower);
                channels.put(follower.deployment(), channel);
                channel.start();
            }
        }
    }

    private void hasRoom(Follower follower) {
        LogChannel channel;
        synchronized (channels) {
            channel = channels.get(follower.deployment());
        }
        if (channel != null) {
            channel.roomFor(follower);
        }
    }

    private void left(Follower follower) {
        Slot slot = places.remove(follower);
        if (slot != null) {
            slot.release();
        }
        LogChannel channel;
        synchronized (channels) {
            channel = channels.get(follower.deployment());
        }
        if (channel != null) {
            channel.leave(follower);
        }
    }

    private void stopped(LogChannel channel) {
        synchronized (channels) {
            channels.remove(channel.deployment(), channel);
        }
    }

    @Override
    public void close() {
        synchronized (channels) {
            channels.values().forEach(LogChannel::stop);
        }
        senders.shutdownNow();
    }
}
