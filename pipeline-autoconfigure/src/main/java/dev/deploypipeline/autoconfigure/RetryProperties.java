package dev.deploypipeline.autoconfigure;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long a step is retried while Redis or S3 is unreachable ({@code RETRY_GIVE_UP_AFTER}).
 *
 * @param giveUpAfter how long one S3 or Redis step (of a fetch, of a build) is retried while those are unreachable
 */
@ConfigurationProperties("retry")
public record RetryProperties(@DefaultValue("5m") Duration giveUpAfter) {

    public RetryProperties {
        if (giveUpAfter == null || giveUpAfter.isNegative()) {
            throw new IllegalArgumentException("RETRY_GIVE_UP_AFTER must not be negative: " + giveUpAfter);
        }
    }
}
