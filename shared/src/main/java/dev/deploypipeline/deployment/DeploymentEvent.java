package dev.deploypipeline.deployment;

import java.time.Instant;
import java.util.Optional;

/**
 * One move of one deployment, as told on the {@code deployment-events} stream.
 *
 * @param entryId the stream entry's id ({@code millis-sequence}), for a reader to go on from
 * @param at when the move was made: the time of the entry's id
 * @param previous the state it left, empty when it was just accepted
 * @param project the project it belongs to, or {@code null}
 * @param siteMove when the entry tells a site that moved to the deployment (promoted, rolled back) rather than a move
 *     of its state: its state is then the same before and after
 */
public record DeploymentEvent(
        String entryId,
        Instant at,
        DeploymentId id,
        DeploymentState state,
        Optional<DeploymentState> previous,
        String project,
        Optional<SiteMove> siteMove) {

    /** A move of the deployment's state. */
    public DeploymentEvent(
            String entryId,
            Instant at,
            DeploymentId id,
            DeploymentState state,
            Optional<DeploymentState> previous,
            String project) {
        this(entryId, at, id, state, previous, project, Optional.empty());
    }

    /** Whether this move put the deployment in the queue (+1), took it out (-1) or neither (0). */
    public int queueChange() {
        boolean wasWaiting = previous.filter(DeploymentState.UPLOADED::equals).isPresent();
        boolean waits = state == DeploymentState.UPLOADED;
        return waits == wasWaiting ? 0 : waits ? 1 : -1;
    }
}
