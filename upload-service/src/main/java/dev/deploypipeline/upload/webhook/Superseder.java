package dev.deploypipeline.upload.webhook;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.upload.deployments.Cancellations;
import dev.deploypipeline.upload.previews.Previews;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A newer push replaces the project's deployments of the same branch that still wait (fetching, or queued
 * and not taken by a worker yet): they end {@code cancelled}, "superseded by {newId}", and leave the queue,
 * so a burst of pushes builds only the latest. Every push cancels those older than itself in the project's
 * history, so pushes handled at the same time still leave exactly the newest one. A deleted branch's deployments
 * end too, waiting or building: nothing would be served of them.
 */
@Component
class Superseder {

    private static final Logger log = LoggerFactory.getLogger(Superseder.class);
    private static final int LOOK_BACK = 20;

    private final ProjectStore projects;
    private final DeploymentStore store;
    private final Cancellations cancellations;

    Superseder(ProjectStore projects, DeploymentStore store, Cancellations cancellations) {
        this.projects = projects;
        this.store = store;
        this.cancellations = cancellations;
    }

    void cancelOlder(ProjectName project, Deployment newest) {
        List<DeploymentId> history = projects.history(project, LOOK_BACK);
        int position = history.indexOf(newest.id());
        if (position < 0) {
            return;
        }
        for (DeploymentId older : history.subList(position + 1, history.size())) {
            store.find(older)
                    .filter(deployment -> !deployment.status().isFinal())
                    .filter(deployment -> ofBranch(deployment, newest.ref()))
                    .ifPresent(waiting -> cancel(waiting.id(), newest.id()));
        }
    }

    /** Cancels the project's deployments of {@code branch} that have not ended; returns how many. */
    int cancelDeleted(ProjectName project, String branch) {
        int cancelled = 0;
        for (DeploymentId id : projects.history(project, LOOK_BACK)) {
            boolean underWay = store.find(id)
                    .filter(deployment -> !deployment.status().isFinal())
                    .filter(deployment -> ofBranch(deployment, branch))
                    .isPresent();
            if (underWay && cancellations.branchDeleted(id, branch)) {
                cancelled++;
            }
        }
        return cancelled;
    }

    /** Whether the deployment is of {@code branch}, however either names it ({@code main}, {@code refs/heads/main}). */
    private static boolean ofBranch(Deployment deployment, String branch) {
        return deployment.ref() != null && branch != null && Previews.sameBranch(deployment.ref(), branch);
    }

    private void cancel(DeploymentId older, DeploymentId newest) {
        if (cancellations.supersede(older, newest)) {
            log.info("Deployment {} was superseded by {}", older, newest);
        }
    }
}
