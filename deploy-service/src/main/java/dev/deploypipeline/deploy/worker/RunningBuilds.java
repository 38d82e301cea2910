package dev.deploypipeline.deploy.worker;

import dev.deploypipeline.deploy.builder.BuildControl;
import dev.deploypipeline.deployment.DeploymentId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** The builds this replica runs now, each with the consumer that took it, so they can be stopped from outside. */
@Component
class RunningBuilds {

    private record Running(String builder, BuildControl control) {}

    private final ConcurrentMap<DeploymentId, Running> running = new ConcurrentHashMap<>();

    /** Registers a build that starts now, and returns what stops it. */
    BuildControl start(DeploymentId id, String builder) {
        BuildControl control = new BuildControl();
        running.put(id, new Running(builder, control));
        return control;
    }

    void finish(DeploymentId id) {
        running.remove(id);
    }

    /** Stops the build of {@code id} if it runs here; returns whether it did. */
    boolean stop(DeploymentId id, String reason) {
        Running build = running.get(id);
        if (build == null) {
            return false;
        }
        build.control().stop(reason);
        return true;
    }

    /** Each running build's id and builder, as they are now. */
    Map<DeploymentId, String> builders() {
        return running.entrySet().stream()
                .collect(Collectors.toMap(
                        Map.Entry::getKey, entry -> entry.getValue().builder()));
    }
}
