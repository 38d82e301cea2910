package dev.deploypipeline.upload.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The notifier's settings: what they refuse, and the pauses between tries they make. */
class NotifySettingsTest {

    @Test
    void noDeliveriesWaitingIsRefused() {
        assertThatThrownBy(() -> settings(Duration.ofSeconds(10), Duration.ofSeconds(10), 5, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NOTIFY_MAX_WAITING");
    }

    @Test
    void aPauseATargetAsksForIsKeptWithinTheLongestTheBackoffMakes() {
        NotifySettings settings = settings(Duration.ofSeconds(10), Duration.ofSeconds(10), 5, 100);

        assertThat(settings.pauseAfter(1, null)).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.pauseAfter(3, null)).isEqualTo(Duration.ofSeconds(40));
        assertThat(settings.pauseAfter(1, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.pauseAfter(1, Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(80));
    }

    /** Settings as the tests make them: the defaults, but for what a test varies. */
    static NotifySettings settings(Duration timeout, Duration backoff, int maxAttempts, int maxWaiting) {
        return new NotifySettings(
                List.of(),
                URI.create("https://api.github.com"),
                timeout,
                backoff,
                maxAttempts,
                maxWaiting,
                4,
                "http://localhost:3000/#/deployments/{id}");
    }
}
