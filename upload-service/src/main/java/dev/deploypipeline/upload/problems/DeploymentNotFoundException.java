package dev.deploypipeline.upload.problems;

import dev.deploypipeline.deployment.DeploymentId;

/** No deployment has this id. */
public class DeploymentNotFoundException extends RuntimeException {

    public DeploymentNotFoundException(DeploymentId id) {
        super("no deployment " + id);
    }
}
