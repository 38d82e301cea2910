package dev.deploypipeline.upload.retention;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.storage.ObjectStorage;
import dev.deploypipeline.threads.NamedThreads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Purges what retention lets go ({@link PurgeSelection}): every {@code RETENTION_SWEEP_INTERVAL} on one
 * upload-service at a time (under {@code retention:lock}), or on demand. A purge removes the deployment's records
 * in one script, then its objects ({@code output/}, {@code dist/}, {@code logs/}); should the service stop in
 * between, the next sweep removes the objects of what is still in {@code purged:pending}. Then it removes the
 * sources of deployments ended {@code SOURCES_RETENTION} ago.
 */
@Service
public class RetentionSweep implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);
    private static final Duration LOCK_TTL = Duration.ofMinutes(10);
    /** How long a purged id answers 410 before it is forgotten and answers 404. */
    static final Duration PURGES_REMEMBERED = Duration.ofDays(365);

    private final PurgeSelection selection;
    private final RetentionStore store;
    private final ObjectStorage storage;
    private final SourceCleanup sources;
    private final Clock clock;
    private final String holder = UUID.randomUUID().toString();
    private final ScheduledExecutorService scheduler = NamedThreads.scheduler("retention");

    RetentionSweep(
            PurgeSelection selection,
            RetentionStore store,
            ObjectStorage storage,
            SourceCleanup sources,
            Clock clock,
            RetentionSettings settings) {
        this.selection = selection;
        this.store = store;
        this.storage = storage;
        this.sources = sources;
        this.clock = clock;
        NamedThreads.repeat(scheduler, settings.retentionSweepInterval(), "The retention sweep", this::sweepQuietly);
    }

    /** What a purge would remove now, removing nothing. */
    public List<DeploymentId> dryRun() {
        return selection.select(clock.instant()).stream()
                .map(PurgeSelection.Candidate::id)
                .toList();
    }

    /** Purges now; empty when another upload-service is sweeping. */
    public Optional<List<DeploymentId>> sweep() {
        if (!store.lock(holder, LOCK_TTL)) {
            return Optional.empty();
        }
        try {
            Instant now = clock.instant();
            removePendingObjects();
            List<DeploymentId> purged = new ArrayList<>();
            for (PurgeSelection.Candidate candidate : selection.select(now)) {
                if (store.purge(candidate.id(), candidate.project(), now) == RetentionStore.Outcome.PURGED) {
                    purged.add(candidate.id());
                }
            }
            removePendingObjects();
            store.forgetPurgedBefore(now.minus(PURGES_REMEMBERED));
            sources.sweep(now);
            if (!purged.isEmpty()) {
                log.info("Retention purged {} deployments: {}", purged.size(), purged);
            }
            return Optional.of(purged);
        } finally {
            store.unlock(holder);
        }
    }

    private void removePendingObjects() {
        for (String id : store.pending()) {
            DeploymentId deployment = new DeploymentId(id);
            try {
                storage.deleteAll(ObjectKeys.site(deployment));
                storage.deleteAll(ObjectKeys.sources(deployment));
                storage.deleteAll(ObjectKeys.log(deployment));
                store.removedFromStorage(id);
            } catch (RuntimeException e) {
                log.warn(
                        "Could not remove the objects of purged deployment {}; the next sweep will: {}",
                        id,
                        e.toString());
            }
        }
    }

    private void sweepQuietly() {
        try {
            if (sweep().isEmpty()) {
                log.debug("Another upload-service is sweeping");
            }
        } catch (RuntimeException e) {
            log.warn("The retention sweep failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
