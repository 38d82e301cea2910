package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;

/** The deployment has already ended, so it cannot be cancelled. */
public class DeploymentFinishedException extends RuntimeException {

    public DeploymentFinishedException(DeploymentId id, DeploymentState state) {
        super("deployment " + id + " has already ended: it is " + state);
    }
}
