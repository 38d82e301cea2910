package dev.deploypipeline.upload.deployments;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Backpressure ({@code QUEUE_MAX_LENGTH}, {@code QUEUE_RETRY_AFTER}).
 *
 * @param maxLength deployments waiting in {@code build-queue} beyond which new ones are refused with 429
 * @param retryAfter what the 429's {@code Retry-After} tells the client
 */
@ConfigurationProperties("queue")
public record QueueSettings(
        @DefaultValue("1000") long maxLength,
        @DefaultValue("30s") Duration retryAfter) {}
