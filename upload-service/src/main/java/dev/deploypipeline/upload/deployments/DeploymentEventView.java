package dev.deploypipeline.upload.deployments;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deploypipeline.deployment.DeploymentEvent;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.SiteMove;
import java.time.Instant;
import java.util.Optional;

/**
 * A move as {@code GET /events} sends it: {@code previous} is absent when the deployment was just accepted; a site
 * that moved to the deployment also has {@code move} ({@code promoted}, {@code rolled_back}), {@code site} and
 * {@code pinned}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record DeploymentEventView(
        String id,
        String state,
        String previous,
        String project,
        Instant at,
        String move,
        String site,
        Boolean pinned) {

    static DeploymentEventView of(DeploymentEvent move) {
        Optional<SiteMove> site = move.siteMove();
        return new DeploymentEventView(
                move.id().value(),
                move.state().word(),
                move.previous().map(DeploymentState::word).orElse(null),
                move.project(),
                move.at(),
                site.map(s -> s.kind().word()).orElse(null),
                site.map(SiteMove::site).orElse(null),
                site.map(SiteMove::pinned).orElse(null));
    }
}
