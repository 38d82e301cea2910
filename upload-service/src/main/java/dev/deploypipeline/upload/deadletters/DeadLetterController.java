package dev.deploypipeline.upload.deadletters;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState.Move;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.queue.QueueRecovery;
import dev.deploypipeline.upload.access.Requires;
import dev.deploypipeline.upload.access.Scope;
import dev.deploypipeline.upload.deployments.StatusView;
import dev.deploypipeline.upload.problems.DeploymentNotFoundException;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The deployments given up on after too many attempts ({@code build-queue:dead}), for an operator to list
 * and queue again once the cause is fixed.
 */
@RestController
class DeadLetterController {

    private final QueueRecovery recovery;
    private final DeploymentTransitions transitions;

    DeadLetterController(QueueRecovery recovery, DeploymentTransitions transitions) {
        this.recovery = recovery;
        this.transitions = transitions;
    }

    @Requires(Scope.READ)
    @GetMapping("/dead-letters")
    List<String> deadLetters() {
        return recovery.deadLetters().stream().map(DeploymentId::value).toList();
    }

    @Requires(Scope.ADMIN)
    @PostMapping("/dead-letters/{id}/requeue")
    StatusView requeue(@PathVariable String id) {
        DeploymentId deploymentId = new DeploymentId(id);
        if (!transitions.requeue(deploymentId)) {
            throw new DeploymentNotFoundException(deploymentId);
        }
        return new StatusView(id, Move.REQUEUE.to().word());
    }
}
