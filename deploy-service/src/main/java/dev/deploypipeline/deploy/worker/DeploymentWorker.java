package dev.deploypipeline.deploy.worker;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.queue.QueueConsumer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * One worker's loop, on a thread of its own with a queue consumer of its own: take the oldest id, deploy it,
 * mark it done; until the pool stops it or interrupts it. A turn that fails, with an exception or an Error, is
 * logged and the loop goes on, pausing longer after each failure in a row so an unreachable Redis is not hammered.
 */
final class DeploymentWorker implements Runnable {

    static final String MDC_KEY = "deploymentId";

    private static final Logger log = LoggerFactory.getLogger(DeploymentWorker.class);
    // Finite, so the running flag is looked at every few seconds; below the client's command timeout.
    private static final Duration TAKE_BLOCK = Duration.ofSeconds(2);
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

    private final QueueConsumer consumer;
    private final Deployer deployer;
    private final DeploymentListener listener;
    private final StopSignal stop;
    private final Clock clock;
    private final BackOff backOff;
    private volatile DeploymentId current;

    DeploymentWorker(
            QueueConsumer consumer, Deployer deployer, DeploymentListener listener, StopSignal stop, Clock clock) {
        this.consumer = consumer;
        this.deployer = deployer;
        this.listener = listener;
        this.stop = stop;
        this.clock = clock;
        ExponentialBackOff exponential = new ExponentialBackOff(FIRST_PAUSE.toMillis(), 2.0);
        exponential.setMaxInterval(LONGEST_PAUSE.toMillis());
        this.backOff = exponential;
    }

    String name() {
        return consumer.name();
    }

    /** The deployment this worker is building now, if any. */
    Optional<DeploymentId> current() {
        return Optional.ofNullable(current);
    }

    /**
     * Puts an interrupted deployment back in the queue, to be built next, with the interrupt set aside while
     * Redis is told. If Redis cannot be reached the id stays in this consumer's processing list, where the
     * reaper finds it.
     */
    private void handBack(DeploymentId id) {
        Interrupts.setAside(() -> {
            try {
                consumer.giveBack(id);
                log.warn("Deployment {} was stopped before it finished and is back in the queue", id);
            } catch (RuntimeException e) {
                log.warn(
                        "Could not hand {} back; it stays in the processing list of {} for the reaper",
                        id,
                        consumer.name(),
                        e);
            }
        });
    }

    @Override
    public void run() {
        log.info("Worker {} takes deployments", consumer.name());
        BackOffExecution failures = null;
        try {
            while (!stop.requested() && !Thread.currentThread().isInterrupted()) {
                try {
                    Optional<DeploymentId> taken = consumer.take(TAKE_BLOCK);
                    if (taken.isPresent()) {
                        process(taken.get());
                    }
                    failures = null;
                } catch (RuntimeException | Error e) {
                    if (Thread.currentThread().isInterrupted()) {
                        break; // Lettuce turns an interrupt into an exception and re-asserts it
                    }
                    failures = failures == null ? backOff.start() : failures;
                    Duration pause = Duration.ofMillis(failures.nextBackOff());
                    log.warn("Worker {} failed a turn; trying again in {}", consumer.name(), pause, e);
                    stop.pause(pause);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close();
            log.info("Worker {} stopped", consumer.name());
        }
    }

    /**
     * Deploys one id and marks it done as soon as its outcome is recorded, before what follows (the save of its
     * cache). A shutdown's interrupt that reaches the deployment before then hands the id back, whether it surfaced
     * as an {@link InterruptedException} or as a Redis or S3 client's exception; once recorded, the id is marked
     * done even on an interrupted thread, so a stopping replica leaves nothing in its processing list.
     */
    private void process(DeploymentId id) throws InterruptedException {
        current = id;
        MDC.put(MDC_KEY, id.value());
        Instant start = clock.instant();
        AtomicBoolean marked = new AtomicBoolean();
        Runnable done = () -> {
            if (marked.compareAndSet(false, true)) {
                Interrupts.setAside(() -> deployer.retries().run(() -> consumer.done(id)));
            }
        };
        try {
            Outcome outcome = deployOrHandBack(id, done, marked);
            done.run(); // a no-op when the deployer ran it, as it does on every path that returns
            listener.finished(id, outcome, Duration.between(start, clock.instant()));
        } finally {
            MDC.remove(MDC_KEY);
            current = null;
        }
    }

    private Outcome deployOrHandBack(DeploymentId id, Runnable done, AtomicBoolean marked) throws InterruptedException {
        try {
            return deployer.deploy(id, consumer.name(), done);
        } catch (InterruptedException e) {
            handBackUnlessDone(id, marked);
            throw e;
        } catch (RuntimeException e) {
            if (!Thread.currentThread().isInterrupted()) {
                throw e;
            }
            handBackUnlessDone(id, marked);
            InterruptedException interrupted = new InterruptedException("interrupted during " + e);
            interrupted.initCause(e);
            throw interrupted;
        } catch (Error e) {
            return afterError(id, e, marked, done);
        }
    }

    /**
     * An Error in one deployment (an OutOfMemoryError of one oversized input, a StackOverflowError) ends that
     * deployment, not the worker, as db-scheduler's loop goes on past whatever one execution throws: no one starts a
     * dead worker's thread again, and the heartbeat would keep its consumer alive, so the id would stay {@code
     * building} in its processing list for good. The id is recorded failed rather than handed back, so it cannot
     * take the next worker down too.
     */
    private Outcome afterError(DeploymentId id, Error e, AtomicBoolean marked, Runnable done) {
        if (marked.get()) {
            log.error("Deployment {}, recorded already, then ended in an error of this service's own", id, e);
            return Outcome.DEPLOYED; // only a deployed build works on once recorded: the save of its cache
        }
        return deployer.failUnexpectedly(id, consumer.name(), e, done); // which logs it
    }

    /** An id already marked done is recorded: it is not handed back, even if what followed was interrupted. */
    private void handBackUnlessDone(DeploymentId id, AtomicBoolean marked) {
        if (!marked.get()) {
            handBack(id);
        }
    }
}
