package dev.deploypipeline.project;

import dev.deploypipeline.deployment.BuildSettings;
import java.time.Instant;

/**
 * A named site: a repository and branch, saved build settings, and at {@code {name}.{BASE_DOMAIN}} its
 * current deployment.
 *
 * @param repoUrl without credentials
 * @param branch the branch that deploys it (pushes to other branches are ignored)
 * @param spaFallback whether unknown paths serve {@code index.html}, for single-page apps
 * @param previewBranches which other branches get a preview at {@code {branch}--{name}.{BASE_DOMAIN}}
 */
public record Project(
        ProjectName name,
        String repoUrl,
        String branch,
        BuildSettings build,
        boolean spaFallback,
        Instant createdAt,
        PreviewBranches previewBranches) {

    public Project {
        build = build == null ? BuildSettings.NONE : build;
        previewBranches = previewBranches == null ? PreviewBranches.NONE : previewBranches;
    }

    /** A project without previews. */
    public Project(
            ProjectName name,
            String repoUrl,
            String branch,
            BuildSettings build,
            boolean spaFallback,
            Instant createdAt) {
        this(name, repoUrl, branch, build, spaFallback, createdAt, PreviewBranches.NONE);
    }
}
