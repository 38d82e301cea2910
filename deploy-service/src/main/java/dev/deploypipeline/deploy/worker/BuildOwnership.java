package dev.deploypipeline.deploy.worker;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentStore;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The one question the deploy loop asks of a build it runs, before it publishes and every second while it builds:
 * is it still this builder's? Delivery is at least once, so a build reaped from a replica that was in fact alive may
 * have been taken over by another builder; and it may have been cancelled. Its end, deployed or failed, is recorded
 * only by its owner in the same step as the check ({@code finish.lua}); this tells why one was not.
 */
@Component
class BuildOwnership {

    /** Why a build is no longer its builder's, with what its log says when it is stopped for it. */
    enum Lost {
        CANCELLED("the deployment was cancelled"),
        TAKEN_OVER("another builder has taken the deployment over");

        private final String reason;

        Lost(String reason) {
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    private final DeploymentStore store;

    BuildOwnership(DeploymentStore store) {
        this.store = store;
    }

    /** Whether the build of {@code id} is still {@code builder}'s to finish. */
    boolean owns(DeploymentId id, String builder) {
        return store.isBuildingBy(id, builder);
    }

    /** Empty while the build of {@code id} is still {@code builder}'s to finish; otherwise why it is not. */
    Optional<Lost> lost(DeploymentId id, String builder) {
        if (owns(id, builder)) {
            return Optional.empty();
        }
        boolean cancelled =
                store.state(id).filter(DeploymentState.CANCELLED::equals).isPresent();
        return Optional.of(cancelled ? Lost.CANCELLED : Lost.TAKEN_OVER);
    }
}
