package dev.deploypipeline.deploy.worker;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a replica keeps ids from being lost ({@code DEPLOY_HEARTBEAT_TTL}, {@code DEPLOY_REAPER_INTERVAL},
 * {@code DEPLOY_MAX_ATTEMPTS}).
 *
 * @param heartbeatTtl a consumer whose heartbeat is not renewed for this long is taken for dead, and its ids are
 *     queued again
 * @param reaperInterval how often a replica looks for dead consumers
 * @param maxAttempts how many times an id is put back before it is given up on (dead-lettered)
 */
@ConfigurationProperties("deploy")
public record RecoverySettings(
        @DefaultValue("30s") Duration heartbeatTtl,
        @DefaultValue("10s") Duration reaperInterval,
        @DefaultValue("3") int maxAttempts) {

    public RecoverySettings {
        if (heartbeatTtl == null
                || heartbeatTtl.isNegative()
                || heartbeatTtl.isZero()
                || reaperInterval == null
                || reaperInterval.isNegative()
                || reaperInterval.isZero()
                || maxAttempts < 1) {
            throw new IllegalArgumentException("DEPLOY_HEARTBEAT_TTL and DEPLOY_REAPER_INTERVAL must be positive and"
                    + " DEPLOY_MAX_ATTEMPTS at least 1: " + heartbeatTtl + ", " + reaperInterval + ", " + maxAttempts);
        }
    }

    /** Renewed three times per lifetime, so one missed beat does not kill a live consumer. */
    Duration heartbeatInterval() {
        return heartbeatTtl.dividedBy(3);
    }
}
