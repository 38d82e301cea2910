package dev.deploypipeline.deploy.worker;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.threads.NamedThreads;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Stops this replica's builds whose deployment was cancelled, within two seconds. upload-service announces
 * each cancelled id on the {@code cancellations} channel, which every replica hears at once; and every
 * {@link #CHECK_EVERY} each running build's state is looked at, for an announcement missed while Redis was
 * away. A build that another builder has taken over is stopped as well: its work would be thrown away.
 */
@Component
class CancellationWatcher implements SmartLifecycle {

    static final String CANCELLED = BuildOwnership.Lost.CANCELLED.reason();
    static final Duration CHECK_EVERY = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(CancellationWatcher.class);

    private final RedisConnector redis;
    private final BuildOwnership ownership;
    private final RunningBuilds running;
    private StatefulRedisPubSubConnection<String, String> subscription;
    private ScheduledExecutorService checks;

    CancellationWatcher(RedisConnector redis, BuildOwnership ownership, RunningBuilds running) {
        this.redis = redis;
        this.ownership = ownership;
        this.running = running;
    }

    @Override
    public synchronized void start() {
        if (checks != null) {
            return;
        }
        checks = NamedThreads.scheduler("cancellation-checks");
        NamedThreads.repeat(checks, CHECK_EVERY, "Checking the running builds", this::checkRunning);
        subscribe();
    }

    private void subscribe() {
        try {
            subscription = redis.connectPubSub();
            subscription.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    DeploymentId.parse(message)
                            .filter(id -> running.stop(id, CANCELLED))
                            .ifPresent(id -> log.info("Stopping the build of {}: it was cancelled", id));
                }
            });
            subscription.sync().subscribe(redis.keys().cancellations());
        } catch (RuntimeException e) {
            log.warn(
                    "Could not subscribe to cancellations; running builds are checked every {} instead: {}",
                    CHECK_EVERY,
                    e.toString());
        }
    }

    private void checkRunning() {
        for (Map.Entry<DeploymentId, String> build : running.builders().entrySet()) {
            try {
                DeploymentId id = build.getKey();
                ownership.lost(id, build.getValue()).ifPresent(lost -> running.stop(id, lost.reason()));
            } catch (RuntimeException e) {
                log.warn("Could not check whether {} is still to be built: {}", build.getKey(), e.toString());
            }
        }
    }

    @Override
    public synchronized void stop() {
        if (checks == null) {
            return;
        }
        checks.shutdownNow();
        checks = null;
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return checks != null;
    }

    /** Started before the workers take anything, stopped after they have stopped. */
    @Override
    public int getPhase() {
        return WorkerPool.PHASE - 1;
    }
}
