package dev.deploypipeline.upload.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.testing.BoundSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documented variables reach retention's settings, and its defaults hold without them. */
class RetentionSettingsTest {

    @Test
    void theDocumentedVariablesSetRetentionAndTheDefaultsHoldWithoutThem() {
        assertThat(BoundSettings.of(
                        RetentionSettings.class,
                        Map.of(
                                "DEPLOYMENT_RETENTION", "7d",
                                "SOURCES_RETENTION", "6h",
                                "RETENTION_SWEEP_INTERVAL", "10m")))
                .isEqualTo(new RetentionSettings(Duration.ofDays(7), Duration.ofHours(6), Duration.ofMinutes(10)));
        assertThat(BoundSettings.of(RetentionSettings.class, Map.of()))
                .isEqualTo(new RetentionSettings(Duration.ofDays(30), Duration.ofDays(1), Duration.ofHours(1)));
    }
}
