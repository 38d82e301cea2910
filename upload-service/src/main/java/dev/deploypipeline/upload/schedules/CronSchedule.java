package dev.deploypipeline.upload.schedules;

import dev.deploypipeline.upload.problems.InvalidRequestException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.springframework.scheduling.support.CronExpression;

/**
 * A project's schedule: a cron expression read by Spring's {@link CronExpression} in a time zone. Five fields
 * (minute hour day month weekday, as crontab writes them) run at second 0; six put the second first, as Spring
 * does; macros such as {@code @daily} work too.
 *
 * @param expression as the project was given it
 */
public record CronSchedule(String expression, ZoneId zone) {

    private static final int MAX_LENGTH = 100;

    /** How many runs ahead a schedule is looked at for two that come too close together. */
    private static final int RUNS_CHECKED = 1000;

    public CronSchedule {
        zone = zone == null ? ZoneOffset.UTC : zone;
    }

    /**
     * The schedule {@code expression} and {@code timeZone} (UTC when absent) make, refused with a 400 that says why
     * when either cannot be read, when it never runs, or when two of its next runs come closer than
     * {@code minInterval}.
     */
    public static CronSchedule parse(String expression, String timeZone, Duration minInterval, Instant now) {
        CronSchedule schedule = new CronSchedule(expression, zone(timeZone));
        schedule.requireSpacing(minInterval, now);
        return schedule;
    }

    static ZoneId zone(String timeZone) {
        if (timeZone == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new InvalidRequestException("timeZone '" + timeZone + "' is not a time zone: give an IANA name such"
                    + " as Europe/Berlin or America/New_York, or UTC");
        }
    }

    public String timeZone() {
        return zone.getId();
    }

    /** The first run after {@code instant}, or empty when there is none. */
    public Optional<Instant> nextAfter(Instant instant) {
        ZonedDateTime next = cron().next(ZonedDateTime.ofInstant(instant, zone));
        return Optional.ofNullable(next).map(ZonedDateTime::toInstant);
    }

    private CronExpression cron() {
        if (expression == null || expression.isBlank() || expression.length() > MAX_LENGTH) {
            throw new InvalidRequestException("schedule must be a cron expression of at most " + MAX_LENGTH
                    + " characters, such as \"0 3 * * *\" (every day at 03:00)");
        }
        String text = expression.strip();
        int fields = text.split("\\s+").length;
        if (!text.startsWith("@") && fields != 5 && fields != 6) {
            throw new InvalidRequestException("schedule '" + expression + "' has " + fields + " fields: give five"
                    + " (minute hour day month weekday), or six with the second first");
        }
        try {
            return CronExpression.parse(fields == 5 ? "0 " + text : text);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(
                    "schedule '" + expression + "' is not a cron expression: " + e.getMessage());
        }
    }

    private void requireSpacing(Duration minInterval, Instant now) {
        Instant previous = nextAfter(now)
                .orElseThrow(() -> new InvalidRequestException("schedule '" + expression + "' never runs"));
        for (int run = 1; run < RUNS_CHECKED; run++) {
            Optional<Instant> next = nextAfter(previous);
            if (next.isEmpty()) {
                return;
            }
            Duration gap = Duration.between(previous, next.get());
            if (gap.compareTo(minInterval) < 0) {
                throw new InvalidRequestException("schedule '" + expression + "' runs " + gap.toSeconds()
                        + " seconds apart at " + previous + "; schedules run at most once every "
                        + minInterval.toMinutes() + " minutes (SCHEDULE_MIN_INTERVAL)");
            }
            previous = next.get();
        }
    }
}
