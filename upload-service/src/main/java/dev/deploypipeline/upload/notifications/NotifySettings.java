package dev.deploypipeline.upload.notifications;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How notifications are sent ({@code NOTIFY_*}).
 *
 * @param allowedHosts {@code host} or {@code host:port} entries notified even on loopback or private addresses,
 *     and also over plain http: an internal chat server, the tests' loopback receiver
 * @param githubApiUrl the GitHub API that commit statuses are posted to (GitHub Enterprise: {@code
 *     https://github.example.com/api/v3})
 * @param timeout the longest one delivery may take, connecting and reading the answer included
 * @param backoff the pause after a first failed try; each next pause is twice the one before
 * @param maxAttempts how many times a delivery is tried before it is given up on, listed as failed
 * @param maxWaiting how many deliveries a target's queue holds: one more drops the oldest waiting, listed as failed
 * @param workers deliveries sent at once by this service, to different targets
 * @param linkPattern the link to a deployment that notices give when it has no site (yet), {@code {id}} replaced
 */
@ConfigurationProperties("notify")
public record NotifySettings(
        @DefaultValue List<String> allowedHosts,
        @DefaultValue("https://api.github.com") URI githubApiUrl,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("10s") Duration backoff,
        @DefaultValue("5") int maxAttempts,
        @DefaultValue("100") int maxWaiting,
        @DefaultValue("4") int workers,

        @DefaultValue("http://localhost:3000/#/deployments/{id}")
        String linkPattern) {

    public NotifySettings {
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        if (maxAttempts < 1 || maxWaiting < 1 || workers < 1) {
            throw new IllegalArgumentException(
                    "NOTIFY_MAX_ATTEMPTS, NOTIFY_MAX_WAITING and NOTIFY_WORKERS must be at least 1");
        }
    }

    /** The pause before try {@code attempt + 1}, after {@code attempt} tries failed: backoff, twice it, ... */
    Duration pauseAfter(int attempt) {
        return backoff.multipliedBy(1L << Math.min(20, Math.max(0, attempt - 1)));
    }

    /**
     * The pause a target asked for ({@code retry-after}), but no longer than the longest the backoff makes, so a
     * target cannot hold its queue for hours; the backoff's pause when it asked for none.
     */
    Duration pauseAfter(int attempt, Duration asked) {
        if (asked == null) {
            return pauseAfter(attempt);
        }
        Duration longest = pauseAfter(maxAttempts - 1);
        return asked.compareTo(longest) > 0 ? longest : asked;
    }
}
