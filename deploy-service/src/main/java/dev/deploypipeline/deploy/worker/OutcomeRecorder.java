package dev.deploypipeline.deploy.worker;

import dev.deploypipeline.deploy.publish.SitePublisher;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.deployment.DeploymentTransitions.Transition;
import dev.deploypipeline.retry.TransientFaults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Records how a build ended, if it is still this builder's to record: {@code deployed} or {@code failed}. A
 * deployment that was cancelled meanwhile stays cancelled and keeps no site; one that another builder took over, or
 * that waits for another (reaped and queued again), is left to it: the files this build wrote stay for that one's
 * publish to replace (only a deployed site is ever served).
 */
@Component
class OutcomeRecorder {

    private static final Logger log = LoggerFactory.getLogger(OutcomeRecorder.class);

    private final DeploymentTransitions transitions;
    private final BuildOwnership ownership;
    private final SitePublisher publisher;
    private final TransientFaults retries;
    private final AliasPromoter aliases;

    OutcomeRecorder(
            DeploymentTransitions transitions,
            BuildOwnership ownership,
            SitePublisher publisher,
            TransientFaults retries,
            AliasPromoter aliases) {
        this.transitions = transitions;
        this.ownership = ownership;
        this.publisher = publisher;
        this.retries = retries;
        this.aliases = aliases;
    }

    Outcome record(DeploymentId id, String builder, Ending ending) {
        return switch (ending.outcome()) {
            case DEPLOYED -> finish(id, builder);
            case FAILED -> fail(id, builder, ending.reason());
            case CANCELLED -> {
                log.info("Deployment {} was cancelled; its build was stopped", id);
                yield Outcome.CANCELLED;
            }
            default -> takenOver(id);
        };
    }

    private Outcome takenOver(DeploymentId id) {
        log.warn("Deployment {} was taken over by another builder while this one ran; leaving it to that one", id);
        return Outcome.DISCARDED;
    }

    private Outcome finish(DeploymentId id, String builder) {
        Transition deployed = retries.get(() -> transitions.deploy(id, builder));
        if (!deployed.moved()
                && deployed.previous()
                        .filter(state -> state == DeploymentState.UPLOADED
                                || state == DeploymentState.BUILDING
                                || state == DeploymentState.DEPLOYED)
                        .isPresent()) {
            // Another builder will build it, is building it, or has deployed it: its publish replaces these files
            // (a site is served only once deployed), and taking them down could take down its files instead.
            return takenOver(id);
        }
        if (!deployed.moved()) {
            log.warn(
                    "Deployment {} became {} while it was building; its site is taken down again",
                    id,
                    deployed.previous().map(Object::toString).orElse("unknown"));
            retries.run(() -> publisher.unpublish(id));
            return deployed.previous().filter(DeploymentState.CANCELLED::equals).isPresent()
                    ? Outcome.CANCELLED
                    : Outcome.DISCARDED;
        }
        log.info("Deployed {}", id);
        aliases.promote(id);
        return Outcome.DEPLOYED;
    }

    private Outcome fail(DeploymentId id, String builder, String reason) {
        Transition failed = retries.get(() -> transitions.failBuild(id, builder, reason));
        if (!failed.moved()) {
            return record(id, builder, stopped(id, builder)); // no longer this builder's to fail
        }
        log.info("Deployment {} failed: {}", id, reason);
        return Outcome.FAILED;
    }

    /** Cancelled, or taken over by another builder: either way this build's work is not kept. */
    Ending stopped(DeploymentId id, String builder) {
        boolean cancelled = retries.get(() -> ownership.lost(id, builder))
                .filter(BuildOwnership.Lost.CANCELLED::equals)
                .isPresent();
        return new Ending(cancelled ? Outcome.CANCELLED : Outcome.DISCARDED, null);
    }
}
