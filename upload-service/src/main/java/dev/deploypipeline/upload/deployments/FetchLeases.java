package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.threads.NamedThreads;
import io.lettuce.core.Range;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.stereotype.Component;

/**
 * Nothing is stranded in {@code cloning}: every deployment is accepted with a fetch lease in
 * {@code cloning-leases} ({@link DeploymentTransitions#accept}), which this service renews while it fetches;
 * any upload-service instance fails the deployments whose lease ran out, because the instance that was fetching
 * them died, or never got the answer that they were accepted.
 */
@Component
class FetchLeases implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FetchLeases.class);
    static final String ABANDONED =
            "the upload-service fetching this repository stopped before it finished, or could not record how the fetch"
                    + " ended; deploy again";

    private final DeploymentTransitions transitions;
    private final RedisClusterCommands<String, String> redis;
    private final String leases;
    private final Clock clock;
    private final Settings settings;
    private final Set<DeploymentId> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService scheduler;

    /**
     * How fetches keep their deployments from being stranded ({@code FETCH_LEASE}, {@code FETCH_LEASE_SWEEP_INTERVAL}).
     *
     * @param lease a fetch renews a lease this long; when an upload-service dies, its deployments in {@code cloning}
     *     are failed once it lapses
     * @param sweepInterval how often lapsed fetch leases are looked for
     */
    @ConfigurationProperties("fetch")
    record Settings(
            @DefaultValue("60s") Duration lease,

            @Name("lease-sweep-interval") @DefaultValue("30s")
            Duration sweepInterval) {}

    FetchLeases(DeploymentTransitions transitions, RedisConnector connector, Clock clock, Settings settings) {
        this.transitions = transitions;
        this.redis = connector.shared().sync();
        this.leases = connector.keys().cloningLeases();
        this.clock = clock;
        this.settings = settings;
        this.scheduler = NamedThreads.scheduler("fetch-leases");
        NamedThreads.repeat(scheduler, settings.lease().dividedBy(3), "Renewing fetch leases", this::renewAll);
        NamedThreads.repeat(scheduler, settings.sweepInterval(), "Looking for abandoned fetches", this::sweep);
    }

    /** How long a lease lasts when it is not renewed: a deployment is accepted holding one this long. */
    Duration lease() {
        return settings.lease();
    }

    /** Renews the lease of a deployment this service fetches, until it is released. */
    void hold(DeploymentId id) {
        held.add(id);
    }

    /**
     * Stops renewing the lease of a fetch that ended here. The lease itself ends in Redis in the step that ends the
     * fetch (the upload, the failure or a cancellation); a fetch whose end could not be recorded leaves it to lapse,
     * and the sweep then fails the deployment.
     */
    void release(DeploymentId id) {
        held.remove(id);
    }

    private void renew(DeploymentId id) {
        // XX: only a lease that is still there; one the fetch's end removed meanwhile is not made again.
        redis.zadd(
                leases,
                ZAddArgs.Builder.xx(),
                clock.instant().plus(settings.lease()).toEpochMilli(),
                id.value());
    }

    /** Deployments whose fetcher's lease has run out, whatever state they reached since. */
    private List<DeploymentId> lapsed() {
        return redis
                .zrangebyscore(leases, Range.create(Double.NEGATIVE_INFINITY, (double)
                        clock.instant().toEpochMilli()))
                .stream()
                .map(DeploymentId::parse)
                .flatMap(Optional::stream)
                .toList();
    }

    private void renewAll() {
        for (DeploymentId id : held) {
            try {
                renew(id);
            } catch (RuntimeException e) {
                log.warn("Could not renew the fetch lease of {}: {}", id, e.toString());
            }
        }
    }

    /** Fails every deployment still {@code cloning} whose lease lapsed, and forgets leases of the rest. */
    void sweep() {
        try {
            for (DeploymentId id : lapsed()) {
                if (held.contains(id)) {
                    continue;
                }
                // Failed in one step only while cloning (a fetch that went on past its lease may have queued it);
                // the lease goes in that step either way.
                if (transitions.failFetch(id, ABANDONED).moved()) {
                    log.warn("Deployment {} was left cloning by an upload-service that stopped; it is failed", id);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Could not look for abandoned fetches: {}", e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
