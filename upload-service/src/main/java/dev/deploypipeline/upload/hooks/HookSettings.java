package dev.deploypipeline.upload.hooks;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Deploy hooks' rate limit ({@code HOOK_RATE_LIMIT}, {@code HOOK_RATE_WINDOW}).
 *
 * @param rateLimit how many calls of one deploy hook deploy within a window; more are answered 429
 * @param rateWindow the sliding window of a deploy hook's rate limit: every call within the last one counts
 */
@ConfigurationProperties("hook")
public record HookSettings(
        @DefaultValue("10") int rateLimit,
        @DefaultValue("1m") Duration rateWindow) {

    public HookSettings {
        if (rateLimit < 1 || rateWindow.isNegative() || rateWindow.isZero()) {
            throw new IllegalArgumentException("HOOK_RATE_LIMIT must be at least 1 and HOOK_RATE_WINDOW positive");
        }
    }
}
