package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentStore.Transition;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.queue.DeploymentQueue;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.upload.access.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Cancels a deployment that has not ended: it is {@code cancelled} at once. One that waits leaves the queue;
 * one that builds is announced on the {@code cancellations} channel, and whichever deploy replica runs it
 * kills it (replicas also notice the state within a second, should the announcement be missed). One being
 * fetched is never queued.
 */
@Service
class DeploymentCanceller {

    static final String REASON = "cancelled on request";

    private static final Logger log = LoggerFactory.getLogger(DeploymentCanceller.class);

    private final DeploymentStore store;
    private final DeploymentQueue queue;
    private final RedisConnector redis;

    DeploymentCanceller(DeploymentStore store, DeploymentQueue queue, RedisConnector redis) {
        this.store = store;
        this.queue = queue;
        this.redis = redis;
    }

    /** Cancels the deployment if {@code caller} may deploy its project. */
    void cancel(DeploymentId id, Caller caller) {
        String project = store.find(id).orElseThrow(() -> new DeploymentNotFoundException(id)).project();
        ProjectName.parse(project).ifPresentOrElse(caller::requireProject, caller::requireAnyProject);
        Transition cancelled = store.markCancelled(id, REASON);
        if (!cancelled.moved()) {
            throw cancelled.previous().<RuntimeException>map(state -> new DeploymentFinishedException(id, state))
                    .orElseGet(() -> new DeploymentNotFoundException(id));
        }
        DeploymentState was = cancelled.previous().orElseThrow();
        if (was == DeploymentState.UPLOADED) {
            queue.remove(id);
        } else if (was == DeploymentState.BUILDING) {
            redis.shared().sync().publish(redis.keys().cancellations(), id.value());
        }
        log.info("Cancelled deployment {}, which was {}", id, was);
    }
}
