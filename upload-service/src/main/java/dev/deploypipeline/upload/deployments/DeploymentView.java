package dev.deploypipeline.upload.deployments;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deploypipeline.deployment.Deployment;
import java.time.Instant;

/** A deployment as the API shows it. The repository URL never carries credentials. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentView(
        String id,
        String repoUrl,
        String ref,
        String commit,
        String project,
        String status,
        String error,
        Instant createdAt,
        Instant uploadedAt,
        Instant buildStartedAt,
        Instant finishedAt,
        int attempts,
        Long queuePosition,
        String url) {

    static DeploymentView of(Deployment d, Long queuePosition, String url) {
        return new DeploymentView(
                d.id().value(),
                d.repoUrl(),
                d.ref(),
                d.commit(),
                d.project(),
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
}
