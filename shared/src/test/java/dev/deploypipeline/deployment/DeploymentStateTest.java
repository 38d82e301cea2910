package dev.deploypipeline.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.deployment.DeploymentState.Move;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The one table of moves: what a deployment may do from each state. */
class DeploymentStateTest {

    @Test
    void aFinishedDeploymentOnlyEverMovesWhenAnOperatorQueuesADeadLetterAgain() {
        for (DeploymentState finished : new DeploymentState[] {DeploymentState.DEPLOYED, DeploymentState.CANCELLED}) {
            assertThat(DeploymentState.values()).noneMatch(finished::canMoveTo);
        }
        assertThat(DeploymentState.values())
                .filteredOn(DeploymentState.FAILED::canMoveTo)
                .containsExactly(DeploymentState.UPLOADED);
        assertThat(Move.REQUEUE.from()).containsExactly(DeploymentState.FAILED);
    }

    @Test
    void aDeploymentStillBeingFetchedCanOnlyBeQueuedFailedOrCancelled() {
        assertThat(DeploymentState.values())
                .filteredOn(DeploymentState.CLONING::canMoveTo)
                .containsExactlyInAnyOrder(DeploymentState.UPLOADED, DeploymentState.FAILED, DeploymentState.CANCELLED);
    }

    @Test
    void aNewerPushSupersedesOnlyWhatHasNotStartedBuilding() {
        assertThat(Move.SUPERSEDE.from()).containsExactlyInAnyOrder(DeploymentState.CLONING, DeploymentState.UPLOADED);
        assertThat(Move.CANCEL.from()).contains(DeploymentState.BUILDING);
    }

    @Test
    void everyMoveGoesForwardButTheBuildersOwnStepsBack() {
        assertThat(Arrays.stream(Move.values())
                        .filter(move -> move.from().stream()
                                .anyMatch(from -> from.ordinal() > move.to().ordinal())))
                .containsExactlyInAnyOrder(Move.GIVE_BACK, Move.REQUEUE);
    }
}
