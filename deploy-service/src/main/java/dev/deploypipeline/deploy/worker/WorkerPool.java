package dev.deploypipeline.deploy.worker;

import dev.deploypipeline.deploy.DeploySettings;
import dev.deploypipeline.queue.DeploymentQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * {@code DEPLOY_WORKERS} threads, {@code deploy-worker-1..N}, each taking from the queue as consumer
 * {@code {replica}-w{n}}. Started and stopped with the application; stopping lets running builds finish
 * within the shutdown grace, then interrupts them: their builds are killed and their ids handed back to the
 * queue, to be built next by another replica.
 */
@Component
class WorkerPool implements SmartLifecycle {

    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    private static final Duration INTERRUPTED_WAIT = Duration.ofSeconds(10);

    private final DeploymentQueue queue;
    private final Deployer deployer;
    private final DeploymentListener listener;
    private final Clock clock;
    private final int size;
    private final String replicaName;
    private final Duration shutdownGrace;
    private final Object lifecycle = new Object();
    private StopSignal stopSignal;
    private List<Running> workers = List.of();

    WorkerPool(
            DeploymentQueue queue,
            Deployer deployer,
            DeploymentListener listener,
            DeploySettings settings,
            Clock clock) {
        this.queue = queue;
        this.deployer = deployer;
        this.listener = listener;
        this.clock = clock;
        this.size = settings.workers();
        this.replicaName = settings.replicaName();
        this.shutdownGrace = settings.shutdownGrace();
    }

    private record Running(DeploymentWorker worker, Thread thread) {}

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (stopSignal != null) {
                return;
            }
            StopSignal signal = new StopSignal();
            List<Running> started = new ArrayList<>();
            try {
                for (int n = 1; n <= size; n++) {
                    started.add(startWorker(n, signal));
                }
            } catch (RuntimeException e) {
                signal.request(); // the workers already started end within one blocking take
                throw e;
            }
            stopSignal = signal;
            workers = List.copyOf(started);
            log.info("Started {} deploy workers as replica {}", size, replicaName);
        }
    }

    private Running startWorker(int n, StopSignal signal) {
        DeploymentWorker worker =
                new DeploymentWorker(queue.consumer(replicaName + consumerName(n)), deployer, listener, signal, clock);
        Thread thread = new Thread(worker, "deploy-worker-" + n);
        thread.setDaemon(true); // stop() is the orderly way out; a stuck build must not keep the JVM alive
        thread.start();
        return new Running(worker, thread);
    }

    /** Stops taking work, waits up to the shutdown grace for running builds, then interrupts them. */
    @Override
    public void stop() {
        synchronized (lifecycle) {
            if (stopSignal == null) {
                return;
            }
            stopSignal.request();
            try {
                awaitWorkers(shutdownGrace);
                interruptRunning();
                awaitWorkers(INTERRUPTED_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                workers.forEach(running -> running.thread().interrupt());
            }
            workers.stream()
                    .filter(running -> running.thread().isAlive())
                    .forEach(running -> log.error(
                            "Worker {} did not stop; its thread is left behind",
                            running.worker().name()));
            stopSignal = null;
            workers = List.of();
            log.info("Deploy workers of replica {} stopped", replicaName);
        }
    }

    /** The suffix of worker {@code n}'s consumer name, after the replica's name. */
    static String consumerName(int n) {
        return "-w" + n;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public boolean isRunning() {
        synchronized (lifecycle) {
            return stopSignal != null;
        }
    }

    private void awaitWorkers(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Running running : workers) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                running.thread().join(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
        }
    }

    private void interruptRunning() {
        for (Running running : workers) {
            if (running.thread().isAlive()) {
                running.worker()
                        .current()
                        .ifPresent(id -> log.warn(
                                "Deployment {} is still building on {} after {}; killing the build and handing it back to"
                                        + " the queue",
                                id,
                                running.thread().getName(),
                                shutdownGrace));
                running.thread().interrupt();
            }
        }
    }
}
