package dev.deploypipeline.deploy.worker;

import dev.deploypipeline.deployment.DeploymentId;
import java.time.Duration;

/** Told about every deployment a worker finishes with, after it has left the processing list. */
interface DeploymentListener {

    void finished(DeploymentId id, Outcome outcome, Duration took);
}
