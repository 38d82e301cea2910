package dev.deploypipeline.deploy.log;

import dev.deploypipeline.deploy.DeploySettings;
import dev.deploypipeline.deployment.DeploymentId;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Opens the log of each build, in a file of its workspace and live in Redis, hiding this service's own secrets
 * from the start (and the build's, once it has them: {@link BuildLog#hide}).
 */
@Component
public class BuildLogs {

    private final LogConnections connections;
    private final LogSettings settings;
    private final Duration streamLifetime;
    private final Clock clock;
    private final SecretMask serviceSecrets;

    BuildLogs(
            LogConnections connections,
            LogSettings settings,
            DeploySettings deploy,
            Clock clock,
            ServiceSecrets secrets) {
        this.connections = connections;
        this.settings = settings;
        // Long enough for the longest build and its time to publish; shortened when the build ends.
        this.streamLifetime = deploy.buildTimeout().plus(settings.streamTtl());
        this.clock = clock;
        this.serviceSecrets = secrets.mask();
    }

    public BuildLog open(DeploymentId id, Path file) throws IOException {
        return new BuildLog(
                file,
                LiveLog.open(connections, id, settings, streamLifetime),
                clock,
                settings.maxSize(),
                serviceSecrets);
    }
}
