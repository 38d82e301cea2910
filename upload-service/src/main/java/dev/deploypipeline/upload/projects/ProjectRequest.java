package dev.deploypipeline.upload.projects;

import dev.deploypipeline.upload.deployments.RequestedBuild;
import java.util.Map;

/** The body of {@code POST /projects}: the whole project; an update replaces every setting. */
record ProjectRequest(String name, String repoUrl, String branch, String rootDirectory, String installCommand,
        String buildCommand, String outputDirectory, Map<String, String> env, Boolean spaFallback) {

    RequestedBuild build() {
        return new RequestedBuild(rootDirectory, installCommand, buildCommand, outputDirectory, env);
    }
}
