package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentState.Move;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.deployment.DeploymentTransitions.Transition;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.storage.ObjectStorage;
import dev.deploypipeline.upload.access.Caller;
import dev.deploypipeline.upload.problems.DeploymentNotFoundException;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Ends deployments before they finish, one way whatever asks: a cancel on request, a newer push that
 * supersedes a deployment still waiting, or the deletion of the branch it builds. The state, the queue, the fetch
 * lease and the word to the replica building it change in one step ({@link DeploymentTransitions#cancel}); then the
 * sources it no longer needs are removed. One being fetched removes its own sources when its fetch finds it cancelled.
 */
@Service
public class Cancellations {

    static final String ON_REQUEST = "cancelled on request";

    private static final Logger log = LoggerFactory.getLogger(Cancellations.class);
    /** The states whose sources a cancel leaves behind: fetched and uploaded, so no fetch is left to clean up. */
    private static final Set<DeploymentState> SOURCES_UPLOADED =
            EnumSet.of(DeploymentState.UPLOADED, DeploymentState.BUILDING);

    private final DeploymentStore store;
    private final DeploymentTransitions transitions;
    private final ObjectStorage storage;

    Cancellations(DeploymentStore store, DeploymentTransitions transitions, ObjectStorage storage) {
        this.store = store;
        this.transitions = transitions;
        this.storage = storage;
    }

    /** Cancels the deployment on request, if {@code caller} may deploy its project; 404 or 409 otherwise. */
    void cancel(DeploymentId id, Caller caller) {
        String project = store.find(id)
                .orElseThrow(() -> new DeploymentNotFoundException(id))
                .project();
        ProjectName.parse(project).ifPresentOrElse(caller::requireProject, caller::requireAnyProject);
        Transition cancelled = end(id, Move.CANCEL, ON_REQUEST);
        if (!cancelled.moved()) {
            throw cancelled
                    .previous()
                    .<RuntimeException>map(state -> new DeploymentFinishedException(id, state))
                    .orElseGet(() -> new DeploymentNotFoundException(id));
        }
    }

    /** Cancels {@code older} if it has not started building; returns whether it did. */
    public boolean supersede(DeploymentId older, DeploymentId newer) {
        return end(older, Move.SUPERSEDE, "superseded by " + newer).moved();
    }

    /** Cancels {@code id}, waiting or building, because its branch was deleted; returns whether it did. */
    public boolean branchDeleted(DeploymentId id, String branch) {
        return end(id, Move.CANCEL, "branch " + branch + " was deleted").moved();
    }

    private Transition end(DeploymentId id, Move move, String reason) {
        Transition ended = transitions.cancel(id, move, reason);
        if (ended.moved()) {
            DeploymentState was = ended.previous().orElseThrow();
            if (SOURCES_UPLOADED.contains(was)) {
                storage.deleteAll(ObjectKeys.sources(id));
            }
            log.info("Deployment {}, which was {}, is cancelled: {}", id, was, reason);
        }
        return ended;
    }
}
