package dev.deploypipeline.upload.schedules;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Scheduled rebuilds ({@code SCHEDULE_MIN_INTERVAL}, {@code SCHEDULE_POLL_INTERVAL}).
 *
 * @param minInterval the closest two runs of one project's schedule may come; a schedule that runs more often is
 *     refused
 * @param pollInterval how often each upload-service looks for schedules that are due; a run starts at most this
 *     late
 */
@ConfigurationProperties("schedule")
record ScheduleSettings(
        @DefaultValue("15m") Duration minInterval,
        @DefaultValue("15s") Duration pollInterval) {}
