package dev.deploypipeline.upload.retention;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.storage.ObjectStorage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Removes the sources ({@code output/{id}/}) of deployments that ended more than {@code SOURCES_RETENTION} ago,
 * walking the deployments by creation time from where the last sweep stopped
 * ({@code retention:sources-swept-until}). It stops before the oldest one not ended that long, to look at it again
 * next time; a dead letter keeps its sources, as it may be queued again.
 */
@Component
class SourceCleanup {

    private static final Logger log = LoggerFactory.getLogger(SourceCleanup.class);
    private static final int PER_SWEEP = 1000;

    private final RetentionStore store;
    private final DeploymentStore deployments;
    private final ObjectStorage storage;
    private final RetentionSettings settings;

    SourceCleanup(
            RetentionStore store, DeploymentStore deployments, ObjectStorage storage, RetentionSettings settings) {
        this.store = store;
        this.deployments = deployments;
        this.storage = storage;
        this.settings = settings;
    }

    /** Returns how many deployments' sources it removed. */
    int sweep(Instant now) {
        Instant endedBefore = now.minus(settings.sourcesRetention());
        long sweptUntil = store.sourcesSweptUntil();
        int removed = 0;
        boolean blocked = false;
        List<RetentionStore.ScoredId> page = store.createdBetween(sweptUntil, endedBefore, PER_SWEEP);
        for (RetentionStore.ScoredId scored : page) {
            // Asked before the deployment is read: a dead letter queued again between the two reads would otherwise
            // be read as ended and then found no dead letter, and lose the sources its build needs. One that is not
            // a dead letter now and becomes one is read with its new end, too recent to remove.
            boolean deadLetter = store.isDeadLetter(scored.id());
            Optional<Deployment> deployment = deployments.find(scored.id());
            boolean ended = deployment
                    .filter(d -> d.status().isFinal())
                    .filter(d -> d.finishedAt() == null || !d.finishedAt().isAfter(endedBefore))
                    .isPresent();
            if (deployment.isPresent() && !ended) {
                // Another created in the same millisecond must not be left behind the cursor.
                sweptUntil = blocked ? sweptUntil : Math.min(sweptUntil, scored.createdAt() - 1);
                blocked = true;
                continue;
            }
            if (ended && !deadLetter) {
                storage.deleteAll(ObjectKeys.sources(scored.id()));
                removed++;
            }
            if (!blocked) {
                sweptUntil = scored.createdAt();
            }
        }
        if (!blocked && page.size() == PER_SWEEP) {
            sweptUntil--; // the next page may hold more of the last one's millisecond
        }
        store.sourcesSweptUntil(sweptUntil);
        if (removed > 0) {
            log.info("Removed the sources of {} deployments that ended before {}", removed, endedBefore);
        }
        return removed;
    }
}
