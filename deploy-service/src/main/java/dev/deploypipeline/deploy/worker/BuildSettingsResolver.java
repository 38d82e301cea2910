package dev.deploypipeline.deploy.worker;

import dev.deploypipeline.deploy.cache.CacheScope;
import dev.deploypipeline.deploy.cache.RepositoryScopes;
import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** A deployment's build settings: each one its request set, else its project's saved one; the rest is detected. */
@Component
class BuildSettingsResolver {

    private final DeploymentStore deployments;
    private final ProjectStore projects;
    private final RepositoryScopes repositories;

    BuildSettingsResolver(DeploymentStore deployments, ProjectStore projects, RepositoryScopes repositories) {
        this.deployments = deployments;
        this.projects = projects;
        this.repositories = repositories;
    }

    BuildSettings settingsOf(DeploymentId id) {
        Deployment deployment = deployments
                .find(id)
                .orElseThrow(() -> new IllegalStateException("deployment " + id + " has no record"));
        BuildSettings saved = Optional.ofNullable(deployment.project())
                .flatMap(ProjectName::parse)
                .flatMap(projects::find)
                .map(Project::build)
                .orElse(BuildSettings.NONE);
        return deployment.build().orElse(saved);
    }

    /**
     * Whose dependency cache the build uses: its project's, else its repository's built with the same commands and
     * env (hashed under this installation's key), so no build ever reads an entry another project's builds, or another
     * deployer's settings, wrote.
     */
    CacheScope cacheScopeOf(DeploymentId id, BuildSettings settings) {
        Deployment deployment = deployments
                .find(id)
                .orElseThrow(() -> new IllegalStateException("deployment " + id + " has no record"));
        return Optional.ofNullable(deployment.project())
                .flatMap(ProjectName::parse)
                .map(name -> CacheScope.ofProject(name.value()))
                .orElseGet(() -> repositories.of(
                        deployment.repoUrl(), settings.installCommand(), settings.buildCommand(), settings.env()));
    }
}
