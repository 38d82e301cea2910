package dev.deploypipeline.deployment;

import java.time.Instant;

/**
 * The whole record of one deployment, as kept in the {@code deployment:{id}} hash.
 *
 * @param repoUrl the repository URL with any credentials already removed
 * @param ref the branch or tag asked for, or {@code null} for the default branch
 * @param commit the commit that was fetched, once known
 * @param error a reason a person can act on, when the state is {@code failed} or {@code cancelled}
 * @param build the build settings given with the request
 */
public record Deployment(
        DeploymentId id,
        String repoUrl,
        String ref,
        String commit,
        String project,
        DeploymentState status,
        String error,
        Instant createdAt,
        Instant uploadedAt,
        Instant buildStartedAt,
        Instant finishedAt,
        int attempts,
        BuildSettings build) {

    public Deployment {
        build = build == null ? BuildSettings.NONE : build;
    }

    public static Deployment accepted(DeploymentId id, String repoUrl, String ref, String project, Instant now) {
        return accepted(id, repoUrl, ref, project, BuildSettings.NONE, now);
    }

    public static Deployment accepted(
            DeploymentId id, String repoUrl, String ref, String project, BuildSettings build, Instant now) {
        return new Deployment(
                id, repoUrl, ref, null, project, DeploymentState.CLONING, null, now, null, null, null, 0, build);
    }
}
