package dev.deploypipeline.upload.deployments;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deploypipeline.deployment.Deployment;
import java.time.Instant;

/**
 * A deployment as the API shows it. The repository URL never carries credentials.
 *
 * @param branch the branch its ref names ({@code main} for {@code refs/heads/main}), for filtering
 * @param preview the label of the branch preview it is built for ({@code {branch}--{project}}), absent for a
 *     project's own site or a deployment of no project
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentView(
        String id,
        String repoUrl,
        String ref,
        String branch,
        String commit,
        String project,
        String preview,
        String status,
        String error,
        Instant createdAt,
        Instant uploadedAt,
        Instant buildStartedAt,
        Instant finishedAt,
        int attempts,
        Long queuePosition,
        String url) {

    private static final String HEADS = "refs/heads/";

    static DeploymentView of(Deployment d, Long queuePosition, String url) {
        return new DeploymentView(
                d.id().value(),
                d.repoUrl(),
                d.ref(),
                branchOf(d.ref()),
                d.commit(),
                d.project(),
                d.preview(),
                d.status().word(),
                d.error(),
                d.createdAt(),
                d.uploadedAt(),
                d.buildStartedAt(),
                d.finishedAt(),
                d.attempts(),
                queuePosition,
                url);
    }

    /**
     * The branch the ref names: {@code main} for {@code main} or {@code refs/heads/main}; a tag or other ref as it
     * was given; {@code null} for the repository's default branch (no ref was asked for).
     */
    static String branchOf(String ref) {
        return ref != null && ref.startsWith(HEADS) ? ref.substring(HEADS.length()) : ref;
    }
}
