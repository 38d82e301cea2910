package dev.deploypipeline.upload.projects;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deploypipeline.deployment.Deployment;
import java.time.Instant;

/**
 * One deployment in a project's history.
 *
 * @param current whether the project's site serves this deployment now
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProjectDeploymentView(
        String id,
        String status,
        String ref,
        String commit,
        Instant createdAt,
        Instant finishedAt,
        String error,
        boolean current) {

    static ProjectDeploymentView of(Deployment d, boolean current) {
        return new ProjectDeploymentView(
                d.id().value(),
                d.status().word(),
                d.ref(),
                d.commit(),
                d.createdAt(),
                d.finishedAt(),
                d.error(),
                current);
    }
}
