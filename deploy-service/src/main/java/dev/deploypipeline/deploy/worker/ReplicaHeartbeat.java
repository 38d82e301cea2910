package dev.deploypipeline.deploy.worker;

import dev.deploypipeline.deploy.DeploySettings;
import dev.deploypipeline.queue.QueueRecovery;
import dev.deploypipeline.threads.NamedThreads;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
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
        // Kept running whatever a turn throws: a heartbeat that stopped would have this replica's live builds reaped.
        NamedThreads.repeat(scheduler, settings.heartbeatInterval(), "The heartbeat of " + replicaName, this::beat);
        NamedThreads.repeat(scheduler, settings.reaperInterval(), "The reaper of " + replicaName, this::reap);
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
