package dev.deploypipeline.deploy.sandbox;

import dev.deploypipeline.deployment.DeploymentId;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Passes the network gate's refusals on to the build's log, which opens after the gate. */
final class RefusalLog {

    private static final Logger log = LoggerFactory.getLogger(RefusalLog.class);

    private final DeploymentId id;
    private volatile Consumer<String> buildLog;

    RefusalLog(DeploymentId id) {
        this.id = id;
    }

    void to(Consumer<String> target) {
        this.buildLog = target;
    }

    void accept(String refusal) {
        log.info("Build of {}: {}", id, refusal);
        Consumer<String> target = buildLog;
        if (target != null) {
            target.accept(refusal);
        }
    }
}
