package dev.deploypipeline.upload.notifications;

import dev.deploypipeline.threads.NamedThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * {@code NOTIFY_WORKERS} senders, each claiming a target whose next delivery is due, trying it and recording the
 * outcome: delivered, another try after a growing pause, or given up on after {@code NOTIFY_MAX_ATTEMPTS} (at once
 * for a refusal no retry changes). Any number of upload-services send from the same queue; a claim is a lease longer
 * than a send can take, timed by Redis's clock, so one delivery is sent by one of them at a time however their
 * clocks differ. The pauses come from the injected clock, so tests move it past them.
 */
@Component
class DeliveryWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWorkers.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final DeliveryQueue queue;
    private final TargetStore targets;
    private final MessageComposer composer;
    private final DeliverySender sender;
    private final NotifySettings settings;
    private final Clock clock;
    private final TryOutcomes outcomes;
    private final Duration lease;
    private final Object signal = new Object();
    private volatile boolean running;
    private ExecutorService pool;

    DeliveryWorkers(
            DeliveryQueue queue,
            TargetStore targets,
            MessageComposer composer,
            DeliverySender sender,
            NotifySettings settings,
            Clock clock,
            TryOutcomes outcomes) {
        this.queue = queue;
        this.targets = targets;
        this.composer = composer;
        this.sender = sender;
        this.settings = settings;
        this.clock = clock;
        this.outcomes = outcomes;
        this.lease = settings.timeout().plusSeconds(30);
    }

    @Override
    public synchronized void start() {
        running = true;
        pool = NamedThreads.pool("notify-sender", settings.workers());
        for (int i = 0; i < settings.workers(); i++) {
            pool.execute(this::run);
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (pool != null) {
            pool.shutdownNow();
            try {
                if (!pool.awaitTermination(settings.timeout().plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("Notification senders still running at shutdown; their claims lapse after {}", lease);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Deliveries were just queued: a sender waiting for work looks at once. */
    void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void run() {
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                Instant now = clock.instant();
                Optional<DeliveryQueue.Claim> due = queue.claim(now, lease);
                if (due.isPresent()) {
                    deliverNext(due.get());
                } else {
                    idle();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("Could not send notifications, trying again shortly: {}", e.toString());
                try {
                    idle();
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void idle() throws InterruptedException {
        synchronized (signal) {
            signal.wait(POLL.toMillis());
        }
    }

    /** Tries the delivery at the head of the claimed target's queue and records what came of it. */
    private void deliverNext(DeliveryQueue.Claim claim) {
        Optional<String> head = queue.head(claim.member());
        if (head.isEmpty()) {
            queue.release(claim, clock.instant());
            return;
        }
        Optional<Delivery> found = queue.find(head.get());
        if (found.isEmpty()) {
            queue.finish(claim, head.get(), clock.instant(), Map.of());
            return;
        }
        Delivery delivery = found.get();
        Optional<NotificationTarget> target = targets.find(delivery.project(), delivery.target());
        if (target.isEmpty()) {
            queue.finish(
                    claim,
                    delivery.id(),
                    clock.instant(),
                    Map.of("state", Delivery.FAILED, "lastError", "the target was removed before it was told"));
            return;
        }
        SentResponse answer = sender.send(composer.compose(target.get(), delivery, clock.instant()));
        outcomes.record(claim, target.get(), delivery, answer);
    }
}
