package dev.deploypipeline.deploy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The deploy service's own settings, bound from the documented variables (see application.properties).
 *
 * @param workers concurrent builds in this replica ({@code DEPLOY_WORKERS}); the number of cores when unset
 * @param buildTimeout longest build before it is killed and fails ({@code BUILD_TIMEOUT}, {@code 15m}, {@code 90s})
 * @param workDir where build folders go ({@code DEPLOY_WORK_DIR})
 * @param replicaName names this replica's queue consumers ({@code DEPLOY_REPLICA_NAME}); unique per process
 *     when unset, so two replicas never share a processing list
 * @param shutdownGrace how long running builds may go on at shutdown before they are interrupted
 *     ({@code DEPLOY_SHUTDOWN_GRACE})
 * @param sourcesMaxSize the most a deployment's sources may hold when they are downloaded to be built
 *     ({@code FETCH_MAX_SIZE}, the same limit upload-service holds a repository to)
 */
@ConfigurationProperties("deploy")
public record DeploySettings(int workers, Duration buildTimeout, Path workDir, String replicaName,
        Duration shutdownGrace, DataSize sourcesMaxSize) {

    public DeploySettings {
        workers = workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
        buildTimeout = positiveOr(buildTimeout, Duration.ofMinutes(15), "build timeout");
        workDir = workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"), "deploy-builds");
        replicaName = replicaName == null || replicaName.isBlank() ? defaultReplicaName() : replicaName.trim();
        shutdownGrace = shutdownGrace != null ? shutdownGrace : Duration.ofSeconds(30);
        sourcesMaxSize = sourcesMaxSize != null ? sourcesMaxSize : DataSize.ofGigabytes(1);
    }

    /** {@code host-pid-random}: readable in {@code redis-cli KEYS build-queue:processing:*}, and never reused. */
    static String defaultReplicaName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "deploy";
        }
        String safeHost = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
        String suffix = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        return safeHost + "-" + ProcessHandle.current().pid() + "-" + suffix;
    }

    private static Duration positiveOr(Duration value, Duration fallback, String what) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + value);
        }
        return value;
    }
}
