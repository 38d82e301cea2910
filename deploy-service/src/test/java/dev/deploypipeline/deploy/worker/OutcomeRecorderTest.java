package dev.deploypipeline.deploy.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.deploypipeline.deploy.publish.SitePublisher;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.deployment.DeploymentTransitions.Transition;
import dev.deploypipeline.retry.TransientFaults;
import io.lettuce.core.RedisCommandTimeoutException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which published sites are kept when a build finishes and the deployment is no longer only its own. */
class OutcomeRecorderTest {

    private final DeploymentId id = DeploymentId.random();
    private final DeploymentTransitions transitions = mock(DeploymentTransitions.class);
    private final BuildOwnership ownership = mock(BuildOwnership.class);
    private final SitePublisher publisher = mock(SitePublisher.class);
    private final AliasPromoter aliases = mock(AliasPromoter.class);
    private final OutcomeRecorder recorder = new OutcomeRecorder(
            transitions,
            ownership,
            publisher,
            new TransientFaults(Duration.ofSeconds(5), Duration.ofMillis(1), Duration.ofMillis(5)),
            aliases);

    @Test
    void aMarkDeployedThatTimedOutAfterRedisRanItIsRetriedAndKeepsTheSite() {
        when(transitions.deploy(id, "r1-w1"))
                .thenThrow(new RedisCommandTimeoutException("Command timed out after 3 second(s)"))
                .thenReturn(new Transition(true, Optional.of(DeploymentState.BUILDING)));

        assertThat(recorder.record(id, "r1-w1", Ending.published())).isEqualTo(Outcome.DEPLOYED);

        verify(publisher, never()).unpublish(id);
        verify(aliases).promote(id);
    }

    @Test
    void aBuildFinishingAfterTheBuilderThatTookItOverDeployedItLeavesThatSiteUp() {
        when(transitions.deploy(id, "r1-w1")).thenReturn(new Transition(false, Optional.of(DeploymentState.DEPLOYED)));

        assertThat(recorder.record(id, "r1-w1", Ending.published())).isEqualTo(Outcome.DISCARDED);

        verify(publisher, never()).unpublish(id);
        verify(aliases, never()).promote(id);
    }

    @Test
    void aBuildFinishingAfterItsDeploymentWasReapedAndQueuedAgainLeavesTheFilesToTheNextBuilder() {
        when(transitions.deploy(id, "r1-w1")).thenReturn(new Transition(false, Optional.of(DeploymentState.UPLOADED)));

        assertThat(recorder.record(id, "r1-w1", Ending.published())).isEqualTo(Outcome.DISCARDED);

        verify(publisher, never()).unpublish(id); // it would race the next builder's publish
        verify(aliases, never()).promote(id);
    }

    @Test
    void aBuildFinishingAfterItsDeploymentWasCancelledTakesItsSiteDown() {
        when(transitions.deploy(id, "r1-w1")).thenReturn(new Transition(false, Optional.of(DeploymentState.CANCELLED)));

        assertThat(recorder.record(id, "r1-w1", Ending.published())).isEqualTo(Outcome.CANCELLED);

        verify(publisher).unpublish(id);
        verify(aliases, never()).promote(id);
    }

    @Test
    void aFailedBuildIsRecordedFailedByItsBuilder() {
        when(transitions.failBuild(id, "r1-w1", "npm run build exited 1"))
                .thenReturn(new Transition(true, Optional.of(DeploymentState.BUILDING)));

        assertThat(recorder.record(id, "r1-w1", new Ending(Outcome.FAILED, "npm run build exited 1")))
                .isEqualTo(Outcome.FAILED);
    }

    @Test
    void aFailedBuildWhoseDeploymentWasTakenOverMeanwhileIsDiscardedAndFailsNothing() {
        when(transitions.failBuild(id, "r1-w1", "killed"))
                .thenReturn(new Transition(false, Optional.of(DeploymentState.BUILDING)));
        when(ownership.lost(id, "r1-w1")).thenReturn(Optional.of(BuildOwnership.Lost.TAKEN_OVER));

        assertThat(recorder.record(id, "r1-w1", new Ending(Outcome.FAILED, "killed")))
                .isEqualTo(Outcome.DISCARDED);

        verify(transitions, never()).fail(id, "killed");
    }

    @Test
    void aFailedBuildWhoseDeploymentWasCancelledMeanwhileEndsCancelled() {
        when(transitions.failBuild(id, "r1-w1", "killed"))
                .thenReturn(new Transition(false, Optional.of(DeploymentState.CANCELLED)));
        when(ownership.lost(id, "r1-w1")).thenReturn(Optional.of(BuildOwnership.Lost.CANCELLED));

        assertThat(recorder.record(id, "r1-w1", new Ending(Outcome.FAILED, "killed")))
                .isEqualTo(Outcome.CANCELLED);
    }
}
