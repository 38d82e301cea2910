package dev.deploypipeline.deploy.worker;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.project.PreviewAlias;
import dev.deploypipeline.project.PreviewStore;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.retry.TransientFaults;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Points a project's site at a deployment of it that has just become {@code deployed}, in one atomic step
 * and only forward: an older build that finishes after a newer one leaves the alias where it is, and a site a
 * rollback pinned stays where it is. A deployment built for a branch preview moves that preview instead, the same
 * way, while its branch still holds it.
 */
@Component
class AliasPromoter {

    private static final Logger log = LoggerFactory.getLogger(AliasPromoter.class);

    private final DeploymentStore store;
    private final ProjectStore projects;
    private final PreviewStore previews;
    private final TransientFaults retries;

    AliasPromoter(DeploymentStore store, ProjectStore projects, PreviewStore previews, TransientFaults retries) {
        this.store = store;
        this.projects = projects;
        this.previews = previews;
        this.retries = retries;
    }

    /** Never throws: the deployment is deployed either way, and a stuck alias can be moved by a rollback. */
    void promote(DeploymentId id) {
        try {
            Optional<Deployment> deployment = retries.get(() -> store.find(id));
            Optional<ProjectName> project = deployment.flatMap(d -> ProjectName.parse(d.project()));
            if (project.isPresent()) {
                promote(project.get(), deployment.get());
            }
        } catch (RuntimeException e) {
            log.error(
                    "Deployment {} is deployed but its project's site could not be pointed at it; "
                            + "POST /projects/<name>/rollback with its id does it",
                    id,
                    e);
        }
    }

    private void promote(ProjectName name, Deployment deployment) {
        DeploymentId id = deployment.id();
        if (deployment.preview() != null) {
            PreviewAlias preview = new PreviewAlias(name, deployment.ref(), deployment.preview());
            if (retries.get(() -> previews.promote(preview, id))) {
                log.info("Preview {} now serves deployment {}", preview.label(), id);
            } else {
                log.info("Preview {} keeps serving a newer deployment than {}, or is gone", preview.label(), id);
            }
        } else if (retries.get(() -> projects.promote(name, id))) {
            log.info("Project {} now serves deployment {}", name, id);
        } else if (retries.get(() -> projects.pin(name)).isPresent()) {
            log.info("Project {} stays on the deployment a rollback pinned it to, not {}", name, id);
        } else {
            log.info("Project {} keeps serving a newer deployment than {}", name, id);
        }
    }
}
