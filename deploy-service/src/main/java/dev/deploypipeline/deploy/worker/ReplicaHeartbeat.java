package dev.deploypipeline.deploy.worker;

import dev.deploypipeline.deploy.DeploySettings;
import dev.deploypipeline.queue.QueueRecovery;
import dev.deploypipeline.threads.NamedThreads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps this replica's consumers alive in Redis and, now and then, reaps the consumers of replicas that
 * died; at start it first reaps what its own consumers held in an earlier life under the same name. It runs
 * on a thread of its own, so heartbeats go on during long builds. It starts before the workers take anything
 * and stops after they have handed back what they held.
 */
@Component
class ReplicaHeartbeat implements SmartLifecycle {

    /** Earlier than the worker pool's phase: started first, stopped last. */
    static final int PHASE = WorkerPool.PHASE - 1;

    private static final Logger log = LoggerFactory.getLogger(ReplicaHeartbeat.class);

    private final QueueRecovery recovery;
    private final RecoverySettings settings;
    private final String replicaName;
    private final List<String> consumers;
    private ScheduledExecutorService scheduler;

    ReplicaHeartbeat(QueueRecovery recovery, RecoverySettings settings, DeploySettings deploy) {
        this.recovery = recovery;
        this.settings = settings;
        this.replicaName = deploy.replicaName();
        this.consumers = IntStream.rangeClosed(1, deploy.workers())
                .mapToObj(WorkerPool::consumerName)
                .map(suffix -> replicaName + suffix)
                .toList();
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        reclaim();
        beat(); // before the workers take anything; if Redis is not up yet, the schedule tries again
        scheduler = NamedThreads.scheduler("replica-heartbeat");
        schedule(this::beat, settings.heartbeatInterval());
        schedule(this::reap, settings.reaperInterval());
    }

    /**
     * A task that throws is never run again by a scheduler, so whatever it throws is caught here: an Error (an
     * OutOfMemoryError that another thread's allocation caused lands on any thread) would otherwise silently end
     * the heartbeats, and other replicas would reap this one's live builds.
     */
    private void schedule(Runnable task, Duration every) {
        Runnable keptRunning = () -> {
            try {
                task.run();
            } catch (Throwable e) {
                log.error("A periodic task of {} failed; it runs again in {}", replicaName, every, e);
            }
        };
        scheduler.scheduleWithFixedDelay(keptRunning, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try {
            recovery.heartbeat(consumers, settings.heartbeatTtl());
        } catch (RuntimeException e) {
            log.warn("Could not renew the heartbeats of {}: {}", replicaName, e.toString());
        }
    }

    /**
     * What this replica's consumers hold from an earlier life under its name counts an attempt, as a dead replica's
     * does. If Redis is not up yet, the workers resume those ids instead.
     */
    private void reclaim() {
        try {
            recovery.reclaim(consumers, settings.maxAttempts());
        } catch (RuntimeException e) {
            log.warn("Could not reclaim what {} held before it started: {}", replicaName, e.toString());
        }
    }

    private void reap() {
        try {
            recovery.reap(replicaName, settings.reaperInterval().plus(settings.heartbeatTtl()), settings.maxAttempts());
        } catch (RuntimeException e) {
            log.warn("Could not look for dead consumers: {}", e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        scheduler = null;
        try {
            recovery.forget(consumers);
        } catch (RuntimeException e) {
            log.warn("Could not remove the heartbeats of {}; they lapse by themselves", replicaName);
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
