package dev.deploypipeline.upload.webhook;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The GitHub webhook ({@code GITHUB_WEBHOOK_SECRET}, {@code GITHUB_DELIVERY_TTL}, {@code GITHUB_PUSH_TTL},
 * {@code GITHUB_MAX_PAYLOAD_SIZE}, {@code GITHUB_READS_AT_ONCE}, {@code GITHUB_READ_TIMEOUT}).
 *
 * @param webhookSecret the secret the webhook was created with; without it the webhook answers 404
 * @param deliveryTtl how long a delivery id is remembered, so a replay of it creates nothing
 * @param pushTtl how long a push that deployed (its repository, branch, {@code before} and {@code after}) is
 *     remembered, so its payload replayed under a new delivery id deploys nothing
 * @param maxPayloadSize the largest payload read; a push's is a few kilobytes, one of many commits that touch
 *     many files some hundreds (GitHub's own cap is 25 MB)
 * @param readsAtOnce deliveries read side by side before their signatures are checked, each held in memory up
 *     to {@code maxPayloadSize}; more are answered 503 with {@code Retry-After}, so slow senders cannot fill the
 *     heap
 * @param readTimeout how long a delivery's body may take to arrive, all of it; one still arriving then is answered
 *     408 and its connection closed, so a sender that dribbles holds one of {@code readsAtOnce} no longer
 */
@ConfigurationProperties("github")
public record WebhookSettings(
        String webhookSecret,
        @DefaultValue("72h") Duration deliveryTtl,
        @DefaultValue("30d") Duration pushTtl,
        @DefaultValue("1MB") DataSize maxPayloadSize,
        @DefaultValue("16") int readsAtOnce,
        @DefaultValue("5s") Duration readTimeout) {

    public WebhookSettings {
        if (readsAtOnce < 1) {
            throw new IllegalArgumentException("GITHUB_READS_AT_ONCE must be at least 1: " + readsAtOnce);
        }
        if (readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("GITHUB_READ_TIMEOUT must be positive: " + readTimeout);
        }
    }

    boolean enabled() {
        return webhookSecret != null && !webhookSecret.isBlank();
    }

    @Override
    public String toString() {
        return "WebhookSettings[webhookSecret=" + (enabled() ? "(set)" : "(unset)") + ", deliveryTtl=" + deliveryTtl
                + ", pushTtl=" + pushTtl + ", maxPayloadSize=" + maxPayloadSize + ", readsAtOnce=" + readsAtOnce
                + ", readTimeout=" + readTimeout + "]";
    }
}
