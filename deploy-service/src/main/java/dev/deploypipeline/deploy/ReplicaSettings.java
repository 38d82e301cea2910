package dev.deploypipeline.deploy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * This replica's workers ({@code DEPLOY_WORKERS}, {@code DEPLOY_WORK_DIR}, {@code DEPLOY_REPLICA_NAME},
 * {@code DEPLOY_SHUTDOWN_GRACE}).
 *
 * @param workers concurrent builds in this replica; the number of cores when unset
 * @param workDir where build folders go; the build user must be able to pass through the folders above it;
 *     {@code deploy-builds} in the system temp folder when unset
 * @param replicaName names this replica's consumers ({@code {name}-w1}…); must be unique among live replicas;
 *     {@code {host}-{pid}-{random}} when unset, so two replicas never share a processing list
 * @param shutdownGrace on SIGTERM, how long running builds may finish before they are killed and handed back
 */
@ConfigurationProperties("deploy")
public record ReplicaSettings(
        Integer workers,
        Path workDir,
        String replicaName,
        @DefaultValue("30s") Duration shutdownGrace) {

    public ReplicaSettings {
        // The defaults @DefaultValue cannot write: they depend on the machine and the process.
        workers = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        workDir = workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"), "deploy-builds");
        replicaName = replicaName == null || replicaName.isBlank() ? defaultReplicaName() : replicaName.strip();
        if (workers < 1) {
            throw new IllegalArgumentException("DEPLOY_WORKERS must be at least 1: " + workers);
        }
        if (shutdownGrace == null || shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("DEPLOY_SHUTDOWN_GRACE must not be negative: " + shutdownGrace);
        }
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
        String suffix =
                HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        return safeHost + "-" + ProcessHandle.current().pid() + "-" + suffix;
    }
}
