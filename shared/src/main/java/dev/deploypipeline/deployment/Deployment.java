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
 * @param preview the label of the branch preview it is built for ({@code {branch}--{project}}), or {@code null} for
 *     a deployment of the project's site or of no project
 * @param siteUrl where it is served once deployed, as the build sees it in {@code DEPLOY_URL}; {@code null} if unknown
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
        BuildSettings build,
        String preview,
        String siteUrl) {

    public Deployment {
        build = build == null ? BuildSettings.NONE : build;
    }

    /** The same deployment built for a branch preview ({@code null} for none), served at {@code siteUrl}. */
    public Deployment withSite(String preview, String siteUrl) {
        return new Deployment(
                id,
                repoUrl,
                ref,
                commit,
                project,
                status,
                error,
                createdAt,
                uploadedAt,
                buildStartedAt,
                finishedAt,
                attempts,
                build,
                preview,
                siteUrl);
    }

    public static Deployment accepted(DeploymentId id, String repoUrl, String ref, String project, Instant now) {
        return accepted(id, repoUrl, ref, project, BuildSettings.NONE, now);
    }

    public static Deployment accepted(
            DeploymentId id, String repoUrl, String ref, String project, BuildSettings build, Instant now) {
        return new Deployment(
                id,
                repoUrl,
                ref,
                null,
                project,
                DeploymentState.CLONING,
                null,
                now,
                null,
                null,
                null,
                0,
                build,
                null,
                null);
    }
}
