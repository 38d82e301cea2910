package dev.deploypipeline.deploy.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.deploy.DeploySettings;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.queue.RedisDeploymentQueue;
import dev.deploypipeline.testing.RedisExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.util.unit.DataSize;

/** The queue's gauges against a real Redis: what a scrape shows is what the lists held at the last sample. */
class QueueGaugesTest {

    @RegisterExtension
    static final RedisExtension redis = new RedisExtension();

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final QueueGauges gauges = new QueueGauges(
            new RedisDeploymentQueue(
                    redis.connector(), new DeploymentTransitions(redis.connector(), Clock.systemUTC())),
            redis.connector(),
            new DeploySettings(
                    2, Duration.ofMinutes(1), Path.of("/tmp"), "replica", Duration.ZERO, DataSize.ofGigabytes(1)),
            registry);

    @Test
    void showsWaitingDeadAndEachConsumersProcessingListAsOfTheLastSample() {
        redis.redis().lpush("build-queue", "a", "b", "c");
        redis.redis().lpush("build-queue:dead", "d");
        redis.redis().lpush("build-queue:processing:replica-w2", "e");
        redis.redis().lpush("build-queue:processing:another-replica-w1", "f");

        gauges.sample();

        assertThat(gauge("deploy.queue.length")).isEqualTo(3);
        assertThat(gauge("deploy.queue.dead.letters")).isEqualTo(1);
        assertThat(registry.get("deploy.queue.processing")
                        .tag("consumer", "replica-w1")
                        .gauge()
                        .value())
                .isZero();
        assertThat(registry.get("deploy.queue.processing")
                        .tag("consumer", "replica-w2")
                        .gauge()
                        .value())
                .isEqualTo(1);
        assertThat(registry.find("deploy.queue.processing").gauges()).hasSize(2);
    }

    @Test
    void aListThatCannotBeReadKeepsItsLastValueAndWhatWasReadBeforeItMoves() {
        redis.redis().lpush("build-queue", "a", "b");
        gauges.sample();
        redis.redis().set("build-queue:dead", "not a list"); // every LLEN of it fails from now on
        redis.redis().lpush("build-queue", "c");

        gauges.sample();

        assertThat(gauge("deploy.queue.length")).isEqualTo(3);
        assertThat(gauge("deploy.queue.dead.letters")).isZero();
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }
}
