package dev.deploypipeline.upload;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.testing.PipelineServers;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Projects and their deployments, put directly in the states the deploy-service leaves them in through the shared
 * stores. Each deployment is created a second after the one before, so that lists of them have an order.
 */
final class ProjectHistory {

    private final Instant start = Instant.now();
    private final AtomicLong created = new AtomicLong();
    private final ProjectStore projects;
    private final DeploymentTransitions transitions;

    ProjectHistory(PipelineServers servers) {
        this.projects = servers.projects();
        this.transitions = servers.transitions();
    }

    ProjectName project(String name) {
        ProjectName projectName = new ProjectName(name);
        projects.save(new Project(projectName, "https://git.example.com/" + name + ".git", "main", null, false, start));
        return projectName;
    }

    DeploymentId deployed(ProjectName project) {
        DeploymentId id = uploaded(project);
        transitions.start(id, "");
        transitions.deploy(id, "");
        return id;
    }

    /** A deployment of {@code project} whose build failed. */
    DeploymentId failed(ProjectName project) {
        DeploymentId id = uploaded(project);
        transitions.fail(id, "npm run build exited with 1");
        return id;
    }

    DeploymentId uploaded(ProjectName project) {
        DeploymentId id = DeploymentId.random();
        Instant createdAt = start.plusSeconds(created.incrementAndGet());
        transitions.accept(
                Deployment.accepted(id, "https://git.example.com/site.git", null, project.value(), createdAt),
                Duration.ofMinutes(1));
        transitions.upload(id, "0".repeat(40));
        return id;
    }
}
