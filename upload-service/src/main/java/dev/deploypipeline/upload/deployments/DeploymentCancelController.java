package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.upload.access.Caller;
import dev.deploypipeline.upload.access.Requires;
import dev.deploypipeline.upload.access.Scope;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /deployments/{id}/cancel}: {@code {"id", "status": "cancelled"}}, 409 once it has ended. */
@RestController
class DeploymentCancelController {

    private final Cancellations cancellations;

    DeploymentCancelController(Cancellations cancellations) {
        this.cancellations = cancellations;
    }

    @Requires(Scope.DEPLOY)
    @PostMapping("/deployments/{id}/cancel")
    StatusView cancel(@PathVariable String id, Caller caller) {
        cancellations.cancel(new DeploymentId(id), caller);
        return new StatusView(id, DeploymentState.CANCELLED.word());
    }
}
