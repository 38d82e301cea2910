package dev.deploypipeline.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.springframework.util.unit.DataSize;

/**
 * What a replica's workers, builds and downloads are held to, gathered from the settings they are bound from:
 * {@link ReplicaSettings} ({@code DEPLOY_*}), {@link BuildTimeLimit} ({@code BUILD_TIMEOUT}) and
 * {@link dev.deploypipeline.autoconfigure.SourceSizeLimit} ({@code FETCH_MAX_SIZE}). Not bound itself: its
 * defaults are theirs.
 *
 * @param workers concurrent builds in this replica
 * @param buildTimeout longest build before it is killed and fails
 * @param workDir where build folders go
 * @param replicaName names this replica's queue consumers; unique per live replica
 * @param shutdownGrace how long running builds may go on at shutdown before they are interrupted
 * @param sourcesMaxSize the most a deployment's sources may hold when they are downloaded to be built
 */
public record DeploySettings(
        int workers,
        Duration buildTimeout,
        Path workDir,
        String replicaName,
        Duration shutdownGrace,
        DataSize sourcesMaxSize) {

    public DeploySettings {
        if (workers < 1) {
            throw new IllegalArgumentException("DEPLOY_WORKERS must be at least 1: " + workers);
        }
        if (buildTimeout == null || buildTimeout.isNegative() || buildTimeout.isZero()) {
            throw new IllegalArgumentException("build timeout must be positive: " + buildTimeout);
        }
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(replicaName, "replicaName");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(sourcesMaxSize, "sourcesMaxSize");
    }
}
