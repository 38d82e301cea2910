package dev.deploypipeline.upload.problems;

import dev.deploypipeline.deployment.DeploymentId;

/** No deployment has this id. */
public class DeploymentNotFoundException extends RuntimeException {

    private final transient DeploymentId id;

    public DeploymentNotFoundException(DeploymentId id) {
        super("no deployment " + id);
        this.id = id;
    }

    public DeploymentId id() {
        return id;
    }
}
