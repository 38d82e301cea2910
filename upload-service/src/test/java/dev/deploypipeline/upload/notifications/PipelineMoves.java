package dev.deploypipeline.upload.notifications;

import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.testing.PipelineServers;
import java.time.Duration;
import java.time.Instant;

/**
 * The pipeline moved as the services move it, through the shared stores and scripts: projects of
 * {@code github.com/acme}, and their deployments one step at a time, so that each step is an event to tell.
 */
final class PipelineMoves {

    private final PipelineServers servers;
    private final DeploymentTransitions transitions;

    PipelineMoves(PipelineServers servers) {
        this.servers = servers;
        this.transitions = servers.transitions();
    }

    /** Saves the project {@code name} of {@code https://github.com/acme/{name}}; returns its name. */
    String project(String name) {
        servers.projects()
                .save(new Project(
                        new ProjectName(name),
                        "https://github.com/acme/" + name,
                        "main",
                        BuildSettings.NONE,
                        false,
                        Instant.now()));
        return name;
    }

    /** A new deployment of the project's {@code main}, being fetched. */
    DeploymentId created(String project) {
        DeploymentId id = DeploymentId.random();
        transitions.accept(
                Deployment.accepted(id, "https://github.com/acme/" + project, "main", project, Instant.now()),
                Duration.ofMinutes(1));
        return id;
    }

    /** The deployment uploaded at {@code commit}, then taken off the queue and started by a builder. */
    void building(DeploymentId id, String commit) {
        transitions.upload(id, commit);
        servers.redis().lrem("build-queue", 0, id.value());
        transitions.start(id, "builder");
    }
}
