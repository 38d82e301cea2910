package dev.deploypipeline.deploy.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.queue.QueueConsumer;
import dev.deploypipeline.retry.TransientFaults;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.invocation.InvocationOnMock;

/** The loop alone, on fake consumers: one whose Redis is gone, one that fails as Lettuce does when interrupted. */
class DeploymentWorkerTest {

    @Test
    void pausesLongerAfterEachFailedTakeInsteadOfSpinningAndStopWakesItAtOnce() {
        UnreachableConsumer consumer = new UnreachableConsumer();
        StopSignal stop = new StopSignal();
        // Nothing is ever taken, so there is nothing to deploy and no one to tell.
        DeploymentWorker worker = new DeploymentWorker(consumer, null, null, stop, Clock.systemUTC());
        Thread thread = new Thread(worker, "deploy-worker-1");
        thread.start();

        // Takes at 0 s, 1 s and 3 s, then a pause of 4 s: three at most, where a hot loop would make thousands.
        await().during(Duration.ofMillis(3500)).atMost(Duration.ofSeconds(5)).until(() -> consumer.takes.get() <= 3);
        assertThat(consumer.takes.get()).isGreaterThanOrEqualTo(2);

        stop.request();
        await().atMost(Duration.ofSeconds(1)).until(() -> !thread.isAlive());
        assertThat(consumer.closed).isTrue();
    }

    @Test
    void aShutdownInterruptArrivingAfterTheOutcomeIsRecordedStillMarksTheIdDone() throws InterruptedException {
        DeploymentId id = DeploymentId.random();
        InterruptibleConsumer consumer = new InterruptibleConsumer(id);
        Deployer deployer = deployer();
        when(deployer.deploy(eq(id), eq(consumer.name()), any())).thenAnswer(call -> {
            Thread.currentThread().interrupt(); // the pool's stop, just as the outcome was recorded
            call.<Runnable>getArgument(2).run();
            return Outcome.DEPLOYED;
        });
        RecordingListener listener = new RecordingListener();

        runUntilItStops(new DeploymentWorker(consumer, deployer, listener, new StopSignal(), Clock.systemUTC()));

        assertThat(consumer.done).containsExactly(id);
        assertThat(consumer.givenBack).isEmpty();
        assertThat(listener.ids()).containsExactly(id);
    }

    @Test
    void aShutdownInterruptSurfacingAsARedisClientExceptionHandsTheIdBack() throws InterruptedException {
        DeploymentId id = DeploymentId.random();
        InterruptibleConsumer consumer = new InterruptibleConsumer(id);
        Deployer deployer = deployer();
        when(deployer.deploy(eq(id), eq(consumer.name()), any())).thenAnswer(call -> {
            Thread.currentThread().interrupt();
            throw new RedisCommandInterruptedException(new InterruptedException());
        });
        RecordingListener listener = new RecordingListener();

        runUntilItStops(new DeploymentWorker(consumer, deployer, listener, new StopSignal(), Clock.systemUTC()));

        assertThat(consumer.givenBack).containsExactly(id);
        assertThat(consumer.done).isEmpty();
        assertThat(listener.ids()).isEmpty();
    }

    @Test
    void anIdMarkedDoneOnceRecordedIsNotHandedBackWhenTheCacheSaveAfterItIsInterrupted() throws InterruptedException {
        DeploymentId id = DeploymentId.random();
        InterruptibleConsumer consumer = new InterruptibleConsumer(id);
        Deployer deployer = deployer();
        when(deployer.deploy(eq(id), eq(consumer.name()), any())).thenAnswer(call -> {
            call.<Runnable>getArgument(2).run();
            Thread.currentThread().interrupt(); // the stop, while the cache is saved
            throw new InterruptedException();
        });
        RecordingListener listener = new RecordingListener();

        runUntilItStops(new DeploymentWorker(consumer, deployer, listener, new StopSignal(), Clock.systemUTC()));

        assertThat(consumer.done).containsExactly(id);
        assertThat(consumer.givenBack).isEmpty();
    }

    @Test
    void anErrorInOneDeploymentRecordsItFailedAndTheWorkerTakesTheNext() throws InterruptedException {
        DeploymentId hungry = DeploymentId.random();
        DeploymentId next = DeploymentId.random();
        QueuedConsumer consumer = new QueuedConsumer(hungry, next);
        Deployer deployer = deployer();
        when(deployer.deploy(eq(hungry), eq(consumer.name()), any()))
                .thenThrow(new OutOfMemoryError("Java heap space"));
        when(deployer.failUnexpectedly(eq(hungry), eq(consumer.name()), any(OutOfMemoryError.class), any()))
                .thenAnswer(DeploymentWorkerTest::recordedFailed);
        deploysAndMarksDone(deployer, next, consumer.name());
        RecordingListener listener = new RecordingListener();
        StopSignal stop = new StopSignal();
        Thread thread = started(new DeploymentWorker(consumer, deployer, listener, stop, Clock.systemUTC()));

        await().atMost(Duration.ofSeconds(10)).until(() -> listener.ids().size() == 2);
        assertThat(listener.ids()).containsExactly(hungry, next);
        assertThat(consumer.done).containsExactly(hungry, next);
        assertThat(thread.isAlive()).as("the worker outlived the error").isTrue();
        stop.request();
        thread.join(Duration.ofSeconds(10).toMillis());
        assertThat(thread.isAlive()).isFalse();
    }

    /**
     * Recording the Error failed (Redis down, or an Error of its own): the id is still in the consumer's processing
     * list, which the next turn's take resumes first, as the real consumer does, so it is deployed again, recorded,
     * marked done, and the worker goes on.
     */
    @ParameterizedTest
    @MethodSource("failuresToRecord")
    void anIdWhoseErrorCouldNotBeRecordedIsTakenAgainNextTurnAndEndsBeforeTheNextId(Throwable recordingFailure)
            throws InterruptedException {
        DeploymentId hungry = DeploymentId.random();
        DeploymentId next = DeploymentId.random();
        ProcessingListConsumer consumer = new ProcessingListConsumer(hungry, next);
        Deployer deployer = deployer();
        when(deployer.deploy(eq(hungry), eq(consumer.name()), any()))
                .thenThrow(new OutOfMemoryError("Java heap space"));
        when(deployer.failUnexpectedly(eq(hungry), eq(consumer.name()), any(OutOfMemoryError.class), any()))
                .thenThrow(recordingFailure)
                .thenAnswer(DeploymentWorkerTest::recordedFailed);
        deploysAndMarksDone(deployer, next, consumer.name());
        RecordingListener listener = new RecordingListener();
        StopSignal stop = new StopSignal();
        Thread thread = started(new DeploymentWorker(consumer, deployer, listener, stop, Clock.systemUTC()));

        await().atMost(Duration.ofSeconds(10)).until(() -> listener.ids().size() == 2);
        assertThat(consumer.taken).containsExactly(hungry, hungry, next);
        assertThat(listener.ids()).containsExactly(hungry, next);
        assertThat(listener.all())
                .extracting(RecordingListener.Finished::outcome)
                .containsExactly(Outcome.FAILED, Outcome.DEPLOYED);
        assertThat(consumer.processing).isEmpty();
        assertThat(thread.isAlive()).as("the worker outlived both failures").isTrue();
        stop.request();
        thread.join(Duration.ofSeconds(10).toMillis());
        assertThat(thread.isAlive()).isFalse();
    }

    static List<Throwable> failuresToRecord() {
        return List.of(
                new RedisConnectionException("Unable to connect to 127.0.0.1:6379"),
                new OutOfMemoryError("Java heap space, again"));
    }

    private static void deploysAndMarksDone(Deployer deployer, DeploymentId id, String consumer)
            throws InterruptedException {
        when(deployer.deploy(eq(id), eq(consumer), any())).thenAnswer(call -> {
            call.<Runnable>getArgument(2).run();
            return Outcome.DEPLOYED;
        });
    }

    /** What {@link Deployer#failUnexpectedly} does once it has recorded the failure: marks the id done. */
    private static Outcome recordedFailed(InvocationOnMock call) {
        call.<Runnable>getArgument(3).run();
        return Outcome.FAILED;
    }

    private static Thread started(DeploymentWorker worker) {
        Thread thread = new Thread(worker, "deploy-worker-1");
        thread.start();
        return thread;
    }

    private static Deployer deployer() {
        Deployer deployer = mock(Deployer.class);
        when(deployer.retries()).thenReturn(new TransientFaults(Duration.ofSeconds(1)));
        return deployer;
    }

    /** Runs the worker on a thread of its own; it stops on the interrupt its one deployment leaves set. */
    private static void runUntilItStops(DeploymentWorker worker) throws InterruptedException {
        Thread thread = new Thread(worker, "deploy-worker-1");
        thread.start();
        thread.join(Duration.ofSeconds(10).toMillis());
        assertThat(thread.isAlive()).as("the interrupted worker stopped").isFalse();
    }

    /** Hands out one id, then nothing; refuses every command on an interrupted thread, as Lettuce does. */
    private static final class InterruptibleConsumer implements QueueConsumer {

        final List<DeploymentId> done = new CopyOnWriteArrayList<>();
        final List<DeploymentId> givenBack = new CopyOnWriteArrayList<>();
        private final AtomicReference<DeploymentId> next;

        InterruptibleConsumer(DeploymentId id) {
            this.next = new AtomicReference<>(id);
        }

        @Override
        public String name() {
            return "r1-w1";
        }

        @Override
        public Optional<DeploymentId> take(Duration block) {
            refuseIfInterrupted();
            return Optional.ofNullable(next.getAndSet(null));
        }

        @Override
        public void done(DeploymentId id) {
            refuseIfInterrupted();
            done.add(id);
        }

        @Override
        public void giveBack(DeploymentId id) {
            refuseIfInterrupted();
            givenBack.add(id);
        }

        @Override
        public void close() {}

        private static void refuseIfInterrupted() {
            if (Thread.currentThread().isInterrupted()) {
                throw new RedisCommandInterruptedException(new InterruptedException());
            }
        }
    }

    /** Hands out its ids in order, then waits as a blocking take does, up to its block. */
    private static final class QueuedConsumer implements QueueConsumer {

        final List<DeploymentId> done = new CopyOnWriteArrayList<>();
        private final BlockingQueue<DeploymentId> queued;

        QueuedConsumer(DeploymentId... ids) {
            this.queued = new LinkedBlockingQueue<>(List.of(ids));
        }

        @Override
        public String name() {
            return "r1-w1";
        }

        @Override
        public Optional<DeploymentId> take(Duration block) {
            try {
                return Optional.ofNullable(queued.poll(block.toMillis(), TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RedisCommandInterruptedException(e);
            }
        }

        @Override
        public void done(DeploymentId id) {
            done.add(id);
        }

        @Override
        public void giveBack(DeploymentId id) {
            throw new AssertionError("nothing is handed back: " + id);
        }

        @Override
        public void close() {}
    }

    /**
     * Takes as the Redis consumer does: an id left in its processing list (taken, never marked done) first, else the
     * oldest queued, moved into that list; done removes it.
     */
    private static final class ProcessingListConsumer implements QueueConsumer {

        final List<DeploymentId> taken = new CopyOnWriteArrayList<>();
        final List<DeploymentId> processing = new CopyOnWriteArrayList<>();
        private final BlockingQueue<DeploymentId> queued;

        ProcessingListConsumer(DeploymentId... ids) {
            this.queued = new LinkedBlockingQueue<>(List.of(ids));
        }

        @Override
        public String name() {
            return "r1-w1";
        }

        @Override
        public Optional<DeploymentId> take(Duration block) {
            if (processing.isEmpty()) {
                try {
                    DeploymentId id = queued.poll(block.toMillis(), TimeUnit.MILLISECONDS);
                    if (id == null) {
                        return Optional.empty();
                    }
                    processing.add(id);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RedisCommandInterruptedException(e);
                }
            }
            DeploymentId id = processing.get(0);
            taken.add(id);
            return Optional.of(id);
        }

        @Override
        public void done(DeploymentId id) {
            processing.remove(id);
        }

        @Override
        public void giveBack(DeploymentId id) {
            throw new AssertionError("nothing is handed back: " + id);
        }

        @Override
        public void close() {}
    }

    private static final class UnreachableConsumer implements QueueConsumer {

        final AtomicInteger takes = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public String name() {
            return "unreachable-w1";
        }

        @Override
        public Optional<DeploymentId> take(Duration block) {
            takes.incrementAndGet();
            throw new RedisConnectionException("Unable to connect to 127.0.0.1:6379");
        }

        @Override
        public void done(DeploymentId id) {
            throw new AssertionError("nothing was taken");
        }

        @Override
        public void giveBack(DeploymentId id) {
            throw new AssertionError("nothing was taken");
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }
}
