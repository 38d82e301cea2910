package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.upload.builds.RequestedBuild;
import java.util.Map;

/**
 * The body of {@code POST /deploy}: a repository, or a project whose settings are the defaults.
 *
 * @param branch a project's branch to deploy: its own builds its site, another its preview
 */
public record DeployRequest(
        String repoUrl,
        String ref,
        String branch,
        String project,
        String rootDirectory,
        String installCommand,
        String buildCommand,
        String outputDirectory,
        Map<String, String> env,
        Boolean cache) {

    RequestedBuild build() {
        return new RequestedBuild(rootDirectory, installCommand, buildCommand, outputDirectory, env, cache);
    }
}
