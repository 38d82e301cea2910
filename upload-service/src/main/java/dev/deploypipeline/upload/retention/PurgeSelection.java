package dev.deploypipeline.upload.retention;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * What retention lets go now: of each project, the deployments past its newest {@code keep} that have ended and
 * that no site serves; of no project, those that have ended and were created more than
 * {@code DEPLOYMENT_RETENTION} ago. The purge script checks again, in one step, that each has ended and is served
 * by no site, so a rollback in between keeps what it points at.
 */
@Component
class PurgeSelection {

    private final ProjectStore projects;
    private final DeploymentStore deployments;
    private final RetentionStore store;
    private final ProjectRetention retention;
    private final RetentionSettings settings;

    PurgeSelection(
            ProjectStore projects,
            DeploymentStore deployments,
            RetentionStore store,
            ProjectRetention retention,
            RetentionSettings settings) {
        this.projects = projects;
        this.deployments = deployments;
        this.store = store;
        this.retention = retention;
        this.settings = settings;
    }

    /** A deployment to purge, with its project's name ({@code null} for none). */
    record Candidate(DeploymentId id, String project) {}

    List<Candidate> select(Instant now) {
        Set<String> served = store.served();
        List<Candidate> candidates = new ArrayList<>();
        for (ProjectName project : projects.names()) {
            List<DeploymentId> history = projects.history(project, Integer.MAX_VALUE);
            history.stream()
                    .skip(retention.keep(project))
                    .filter(id -> !served.contains(id.value()))
                    .map(deployments::find)
                    .flatMap(Optional::stream)
                    .filter(deployment -> deployment.status().isFinal())
                    .map(deployment -> new Candidate(deployment.id(), project.value()))
                    .forEach(candidates::add);
        }
        store.createdBefore(now.minus(settings.deploymentRetention())).stream()
                .filter(id -> !served.contains(id.value()))
                .map(deployments::find)
                .flatMap(Optional::stream)
                .filter(deployment -> deployment.project() == null)
                .filter(deployment -> deployment.status().isFinal())
                .map(Deployment::id)
                .map(id -> new Candidate(id, null))
                .forEach(candidates::add);
        return candidates;
    }
}
