package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentStore;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.stereotype.Component;

/**
 * Nothing is stranded in {@code cloning}: while this service fetches a deployment it renews a lease on it in
 * Redis; any upload-service instance fails the deployments whose lease ran out, because the instance that
 * was fetching them died.
 */
@Component
class FetchLeases implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FetchLeases.class);
    static final String ABANDONED = "the upload-service fetching this repository stopped before it finished; deploy again";

    private final DeploymentStore store;
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
    record Settings(@DefaultValue("60s") Duration lease,
            @Name("lease-sweep-interval") @DefaultValue("30s") Duration sweepInterval) {
    }

    FetchLeases(DeploymentStore store, Settings settings) {
        this.store = store;
        this.settings = settings;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fetch-leases");
            thread.setDaemon(true);
            return thread;
        });
        long renewEvery = settings.lease().dividedBy(3).toMillis();
        scheduler.scheduleWithFixedDelay(this::renewAll, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        long sweepEvery = settings.sweepInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::sweep, sweepEvery, sweepEvery, TimeUnit.MILLISECONDS);
    }

    void hold(DeploymentId id) {
        held.add(id);
        store.renewCloningLease(id, settings.lease());
    }

    void release(DeploymentId id) {
        held.remove(id);
        try {
            store.releaseCloningLease(id);
        } catch (RuntimeException e) {
            log.debug("Could not release the lease of {}; the sweeper will", id, e);
        }
    }

    private void renewAll() {
        for (DeploymentId id : held) {
            try {
                store.renewCloningLease(id, settings.lease());
            } catch (RuntimeException e) {
                log.warn("Could not renew the fetch lease of {}: {}", id, e.toString());
            }
        }
    }

    /** Fails every deployment still {@code cloning} whose lease lapsed, and forgets leases of the rest. */
    void sweep() {
        try {
            for (DeploymentId id : store.lapsedCloningLeases()) {
                if (held.contains(id)) {
                    continue;
                }
                if (store.state(id).filter(DeploymentState.CLONING::equals).isPresent()
                        && store.markFailed(id, ABANDONED).moved()) {
                    log.warn("Deployment {} was left cloning by an upload-service that stopped; it is failed", id);
                }
                store.releaseCloningLease(id);
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
