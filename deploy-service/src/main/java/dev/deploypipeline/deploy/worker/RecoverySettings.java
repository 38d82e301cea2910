package dev.deploypipeline.deploy.worker;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How a replica keeps ids from being lost (see application.properties for the variables).
 *
 * @param heartbeatTtl how long a consumer's heartbeat lives unless renewed ({@code DEPLOY_HEARTBEAT_TTL});
 *     a replica silent this long is taken for dead and its ids are queued again
 * @param reaperInterval how often a replica looks for dead consumers ({@code DEPLOY_REAPER_INTERVAL})
 * @param maxAttempts how many times an id is put back before it is dead-lettered ({@code DEPLOY_MAX_ATTEMPTS})
 * @param retryGiveUpAfter how long one step retries while Redis or S3 is unreachable ({@code RETRY_GIVE_UP_AFTER})
 */
@ConfigurationProperties("deploy.recovery")
public record RecoverySettings(Duration heartbeatTtl, Duration reaperInterval, int maxAttempts,
        Duration retryGiveUpAfter) {

    public RecoverySettings {
        heartbeatTtl = heartbeatTtl != null ? heartbeatTtl : Duration.ofSeconds(30);
        reaperInterval = reaperInterval != null ? reaperInterval : Duration.ofSeconds(10);
        maxAttempts = maxAttempts > 0 ? maxAttempts : 3;
        retryGiveUpAfter = retryGiveUpAfter != null ? retryGiveUpAfter : Duration.ofMinutes(5);
    }

    /** Renewed three times per lifetime, so one missed beat does not kill a live consumer. */
    Duration heartbeatInterval() {
        return heartbeatTtl.dividedBy(3);
    }
}
