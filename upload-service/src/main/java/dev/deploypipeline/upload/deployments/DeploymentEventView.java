package dev.deploypipeline.upload.deployments;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deploypipeline.deployment.DeploymentEvent;
import dev.deploypipeline.deployment.DeploymentState;
import java.time.Instant;

/** A move as {@code GET /events} sends it: {@code previous} is absent when the deployment was just accepted. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record DeploymentEventView(String id, String state, String previous, String project, Instant at) {

    static DeploymentEventView of(DeploymentEvent move) {
        return new DeploymentEventView(
                move.id().value(),
                move.state().word(),
                move.previous().map(DeploymentState::word).orElse(null),
                move.project(),
                move.at());
    }
}
