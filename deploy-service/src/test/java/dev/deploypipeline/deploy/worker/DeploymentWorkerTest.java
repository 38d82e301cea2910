package dev.deploypipeline.deploy.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.queue.QueueConsumer;
import io.lettuce.core.RedisConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The loop alone, on a fake consumer whose Redis is gone. */
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
