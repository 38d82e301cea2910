package dev.deploypipeline.upload.notifications;

import dev.deploypipeline.deployment.DeploymentEvents;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.redis.RedisConnection;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Turns the {@code deployment-events} stream into deliveries, on one upload-service at a time (the one holding
 * {@code notification-fanout:lock}), in the stream's order, so each target's queue holds its events in the order
 * they happened. How far it got is kept in {@code notification-fanout:cursor}, so a restart (of any replica) goes on
 * after the last entry handled; an entry handled twice after a crash makes no second delivery, as a delivery's id
 * is derived from the entry and the target.
 */
@Component
class EventFanout implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventFanout.class);
    private static final Duration LONGEST_BLOCK = Duration.ofSeconds(2);
    private static final int PAGE = 100;

    private final RedisConnector redis;
    private final RedisKeys keys;
    private final TargetStore targets;
    private final DeliveryQueue queue;
    private final EventPayloads payloads;
    private final DeliveryWorkers workers;
    private final Clock clock;
    private final Duration block;
    private final FanoutLock lock;
    private volatile boolean running;
    private Thread reader;

    EventFanout(
            RedisConnector redis,
            TargetStore targets,
            DeliveryQueue queue,
            EventPayloads payloads,
            DeliveryWorkers workers,
            Clock clock) {
        this.redis = redis;
        this.keys = redis.keys();
        this.targets = targets;
        this.queue = queue;
        this.payloads = payloads;
        this.workers = workers;
        this.clock = clock;
        this.lock = new FanoutLock(redis);
        Duration half = redis.settings().commandTimeout().dividedBy(2);
        this.block = half.compareTo(LONGEST_BLOCK) < 0 ? half : LONGEST_BLOCK;
    }

    @Override
    public synchronized void start() {
        running = true;
        reader = new Thread(this::run, "notify-fanout");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (reader != null) {
            reader.interrupt();
            try {
                reader.join(block.plusSeconds(2).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.release();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            try (RedisConnection connection = redis.connect()) {
                connection.name("notification-reader");
                while (running) {
                    if (lock.hold()) {
                        readOnce(connection.sync());
                    } else {
                        pause(FanoutLock.TTL.dividedBy(5));
                    }
                }
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("Could not read deployment events for notifications, trying again: {}", e.toString());
                    pause(Duration.ofSeconds(1));
                }
            }
        }
    }

    private void readOnce(RedisClusterCommands<String, String> reading) {
        String cursor = cursor();
        List<StreamMessage<String, String>> entries = reading.xread(
                XReadArgs.Builder.count(PAGE).block(block),
                XReadArgs.StreamOffset.from(keys.deploymentEvents(), cursor));
        if (entries == null || entries.isEmpty()) {
            return;
        }
        RedisClusterCommands<String, String> shared = redis.shared().sync();
        for (StreamMessage<String, String> entry : entries) {
            fanOut(entry.getId(), entry.getBody());
            shared.set(keys.notificationCursor(), entry.getId());
        }
        workers.wake();
    }

    /** Where to read on from; the first time, the newest entry: events from before notifications began are not told. */
    private String cursor() {
        RedisClusterCommands<String, String> shared = redis.shared().sync();
        String cursor = shared.get(keys.notificationCursor());
        if (cursor != null) {
            return cursor;
        }
        shared.setnx(keys.notificationCursor(), new DeploymentEvents(redis).newestId());
        return shared.get(keys.notificationCursor());
    }

    /** Queues the event for each of its project's targets that want it. */
    void fanOut(String entryId, Map<String, String> body) {
        Optional<NotificationEvent> event = NotificationEvent.of(body);
        String project = body.getOrDefault("project", "");
        Optional<DeploymentId> id = DeploymentId.parse(body.get("id"));
        if (event.isEmpty() || project.isEmpty() || id.isEmpty()) {
            return;
        }
        List<NotificationTarget> wanting =
                targets.of(project).stream().filter(t -> t.wants(event.get())).toList();
        if (wanting.isEmpty()) {
            return;
        }
        Optional<EventPayloads.Snapshot> snapshot = payloads.of(id.get(), body);
        if (snapshot.isEmpty()) {
            return;
        }
        for (NotificationTarget target : wanting) {
            if (target.type() == TargetType.GITHUB && snapshot.get().commit() == null) {
                continue; // a commit status needs the commit, which is known once the sources are fetched
            }
            String deliveryId = UUID.nameUUIDFromBytes((entryId + "/" + target.id()).getBytes(StandardCharsets.UTF_8))
                    .toString();
            queue.enqueue(
                    target,
                    DeliveryQueue.newDelivery(
                            deliveryId,
                            target,
                            event.get(),
                            id.get().value(),
                            snapshot.get().json(),
                            clock.instant()),
                    clock.instant());
        }
    }

    private void pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
