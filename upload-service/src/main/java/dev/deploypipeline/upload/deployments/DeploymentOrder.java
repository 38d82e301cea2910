package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.upload.git.RepositoryUrl;
import dev.deploypipeline.upload.previews.TentativePreview;

/**
 * What to deploy, checked and with the project's defaults applied.
 *
 * @param ref the branch or tag, or {@code null} for the default branch
 * @param project the project it belongs to, or {@code null}
 * @param expectedCommit the commit a push announced, or {@code null}; the branch is deployed as it is
 *     when fetched, and a difference is logged
 * @param preview the label of the branch preview it builds, or {@code null} for the project's site (or no project)
 * @param tentative for a branch of a project that follows the repository's default branch, the preview it builds
 *     unless the fetch finds the branch is that default one; {@code null} when that is decided already
 */
public record DeploymentOrder(
        RepositoryUrl repository,
        String ref,
        ProjectName project,
        BuildSettings build,
        String expectedCommit,
        String preview,
        TentativePreview tentative) {

    public DeploymentOrder {
        build = build == null ? BuildSettings.NONE : build;
    }

    /** An order whose site or preview is decided already. */
    public DeploymentOrder(
            RepositoryUrl repository,
            String ref,
            ProjectName project,
            BuildSettings build,
            String expectedCommit,
            String preview) {
        this(repository, ref, project, build, expectedCommit, preview, null);
    }

    /** An order for the project's site, or of no project. */
    public DeploymentOrder(
            RepositoryUrl repository, String ref, ProjectName project, BuildSettings build, String expectedCommit) {
        this(repository, ref, project, build, expectedCommit, null, null);
    }
}
