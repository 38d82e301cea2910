package dev.deploypipeline.deploy.worker;

import dev.deploypipeline.deploy.DeploySettings;
import dev.deploypipeline.queue.DeploymentQueue;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import dev.deploypipeline.threads.NamedThreads;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The queue as this replica sees it, sampled from Redis every {@link #EVERY} on a thread of its own, so a scrape
 * never waits for Redis: {@code deploy.queue.length} (ids waiting), {@code deploy.queue.dead.letters} and
 * {@code deploy.queue.processing} per consumer of this replica (ids in its processing list: 1 while it builds).
 * Every replica reports the queue's length; a dashboard takes the maximum. A sample that fails keeps the last
 * values.
 */
@Component
class QueueGauges implements SmartLifecycle {

    static final Duration EVERY = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(QueueGauges.class);

    private final DeploymentQueue queue;
    private final RedisConnector redis;
    private final AtomicLong waiting = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final Map<String, AtomicLong> processing = new LinkedHashMap<>();
    private ScheduledExecutorService sampler;

    QueueGauges(DeploymentQueue queue, RedisConnector redis, DeploySettings settings, MeterRegistry registry) {
        this.queue = queue;
        this.redis = redis;
        Gauge.builder("deploy.queue.length", waiting, AtomicLong::get)
                .description("Deployments waiting in the build queue")
                .register(registry);
        Gauge.builder("deploy.queue.dead.letters", deadLetters, AtomicLong::get)
                .description("Deployments given up on after DEPLOY_MAX_ATTEMPTS, in build-queue:dead")
                .register(registry);
        IntStream.rangeClosed(1, settings.workers())
                .mapToObj(n -> settings.replicaName() + WorkerPool.consumerName(n))
                .forEach(consumer -> {
                    AtomicLong held = new AtomicLong();
                    processing.put(consumer, held);
                    Gauge.builder("deploy.queue.processing", held, AtomicLong::get)
                            .description("Deployments in the processing list of each consumer of this replica")
                            .tag("consumer", consumer)
                            .register(registry);
                });
    }

    void sample() {
        try {
            RedisKeys keys = redis.keys();
            RedisClusterCommands<String, String> commands = redis.shared().sync();
            waiting.set(queue.length());
            deadLetters.set(commands.llen(keys.deadLetters()));
            processing.forEach((consumer, held) -> held.set(commands.llen(keys.processing(consumer))));
        } catch (RuntimeException e) {
            log.debug("Could not sample the queue: {}", e.toString());
        }
    }

    @Override
    public synchronized void start() {
        if (sampler == null) {
            sampler = NamedThreads.scheduler("queue-gauges");
            sampler.execute(this::sample);
            NamedThreads.repeat(sampler, EVERY, "Sampling the queue", this::sample);
        }
    }

    @Override
    public synchronized void stop() {
        if (sampler != null) {
            sampler.shutdownNow();
            sampler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return sampler != null;
    }
}
