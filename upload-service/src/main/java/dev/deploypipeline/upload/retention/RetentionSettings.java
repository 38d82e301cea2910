package dev.deploypipeline.upload.retention;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long deployments are kept ({@code DEPLOYMENT_RETENTION}, {@code SOURCES_RETENTION},
 * {@code RETENTION_SWEEP_INTERVAL}); a project's own {@code keep} says how many of its deployments stay.
 *
 * @param deploymentRetention a deployment of no project is purged once it is this old and has ended
 * @param sourcesRetention the sources ({@code output/{id}/}) of a deployment that ended this long ago are removed
 * @param retentionSweepInterval how often one upload-service at a time purges what retention lets go
 */
@ConfigurationProperties
record RetentionSettings(
        @DefaultValue("30d") Duration deploymentRetention,
        @DefaultValue("1d") Duration sourcesRetention,
        @DefaultValue("1h") Duration retentionSweepInterval) {}
