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
     * Whose dependency cache the build uses, if any. A deployment of a project's site built with the project's own
     * env uses the project's; a preview's, its own scope, which reads the project's when it has none; one of no
     * project, its repository's built in the same folder with the same commands and env (hashed under this installation's key). So no
     * build ever reads an entry another project's builds, or another deployer's settings, wrote. None when the
     * deployment or its project says {@code "cache": false} (a request's {@code true} never turns on what its project
     * turned off), nor for a deployment of a project whose env is not the project's own as it is now: given by its
     * request, which replaces the project's, or the project's before a change since. Such a build lacks the project's
     * secrets, yet could rewrite the store its next build runs with them, or read what they fetched.
     */
    CacheChoice cacheOf(DeploymentId id, BuildSettings settings) {
        Deployment deployment = deployments
                .find(id)
                .orElseThrow(() -> new IllegalStateException("deployment " + id + " has no record"));
        if (!settings.usesCache()) {
            return CacheChoice.off("[cache] off for this deployment (cache: false): nothing is restored or saved");
        }
        Optional<ProjectName> project =
                Optional.ofNullable(deployment.project()).flatMap(ProjectName::parse);
        if (project.isEmpty()) {
            return CacheChoice.in(repositories.of(
                    deployment.repoUrl(),
                    settings.rootDirectory(),
                    settings.installCommand(),
                    settings.buildCommand(),
                    settings.env()));
        }
        BuildSettings own = projects.find(project.get()).map(Project::build).orElse(BuildSettings.NONE);
        if (!own.usesCache()) {
            return CacheChoice.off("[cache] off for this project (cache: false): nothing is restored or saved");
        }
        if (!settings.env().equals(own.env())) {
            return CacheChoice.off("[cache] off for this deployment: its env is not its project's own, so it neither"
                    + " reads nor writes the project's cache");
        }
        String name = project.get().value();
        return CacheChoice.in(
                deployment.preview() == null
                        ? CacheScope.ofProject(name)
                        : CacheScope.ofPreview(name, deployment.preview()));
    }

    /**
     * The scope a build's cache is in, or why it has none.
     *
     * @param scope {@code null} for none
     * @param off the build log's line that says why it has none
     */
    record CacheChoice(CacheScope scope, String off) {

        static CacheChoice in(CacheScope scope) {
            return new CacheChoice(scope, null);
        }

        static CacheChoice off(String line) {
            return new CacheChoice(null, line);
        }
    }
}
