package dev.deploypipeline.upload.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploypipeline.testing.BoundSettings;
import dev.deploypipeline.upload.problems.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a schedule is read and when it runs, without servers. */
class CronScheduleTest {

    private static final Duration QUARTER = Duration.ofMinutes(15);
    private static final Instant NOW = Instant.parse("2026-03-28T12:00:00Z");

    @Test
    void fiveFieldsAreCrontabsSixPutTheSecondFirstAndMacrosWork() {
        assertThat(next("0 3 * * *", "UTC")).isEqualTo("2026-03-29T03:00:00Z");
        assertThat(next("30 0 3 * * *", "UTC")).isEqualTo("2026-03-29T03:00:30Z");
        assertThat(next("@daily", "UTC")).isEqualTo("2026-03-29T00:00:00Z");
        assertThat(next("0 9 * * MON-FRI", "UTC")).isEqualTo("2026-03-30T09:00:00Z");
    }

    @Test
    void theTimeZoneSaysWhenAndSummerTimeIsFollowed() {
        // Berlin moves to summer time in the night to 29 March 2026: 03:00 is then 01:00 UTC, the day before 02:00.
        assertThat(next("0 3 * * *", "Europe/Berlin")).isEqualTo("2026-03-29T01:00:00Z");
        assertThat(CronSchedule.parse("0 3 * * *", "Europe/Berlin", QUARTER, NOW)
                        .nextAfter(Instant.parse("2026-03-27T12:00:00Z")))
                .contains(Instant.parse("2026-03-28T02:00:00Z"));
    }

    @Test
    void aScheduleRunningCloserThanTheMinimumIntervalIsRefusedWhereverItComesClose() {
        for (String often :
                new String[] {"* * * * * *", "* * * * *", "*/10 * * * *", "0 0,1 * * * *", "0 0 0,23 * * *"}) {
            assertThatThrownBy(() -> CronSchedule.parse(often, null, Duration.ofHours(2), NOW))
                    .as(often)
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("SCHEDULE_MIN_INTERVAL");
        }
        assertThat(CronSchedule.parse("*/15 * * * *", null, QUARTER, NOW).expression())
                .isEqualTo("*/15 * * * *");
    }

    @Test
    void whatCannotBeReadOrNeverRunsIsRefused() {
        for (String wrong :
                new String[] {"", "  ", "0 3 * *", "0 0 3 * * * *", "61 * * * *", "@often", "x".repeat(101)}) {
            assertThatThrownBy(() -> CronSchedule.parse(wrong, null, QUARTER, NOW))
                    .as(wrong)
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("schedule");
        }
        assertThatThrownBy(() -> CronSchedule.parse("0 0 30 2 *", null, QUARTER, NOW))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("never runs");
        assertThatThrownBy(() -> CronSchedule.parse("0 3 * * *", "Mars/Olympus", QUARTER, NOW))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("timeZone");
    }

    @Test
    void theDocumentedVariablesSetTheScheduleSettings() {
        assertThat(BoundSettings.of(
                        ScheduleSettings.class, Map.of("SCHEDULE_MIN_INTERVAL", "1h", "SCHEDULE_POLL_INTERVAL", "5s")))
                .isEqualTo(new ScheduleSettings(Duration.ofHours(1), Duration.ofSeconds(5)));
        assertThat(BoundSettings.of(ScheduleSettings.class, Map.of()))
                .isEqualTo(new ScheduleSettings(QUARTER, Duration.ofSeconds(15)));
    }

    private static String next(String cron, String zone) {
        return CronSchedule.parse(cron, zone, QUARTER, NOW)
                .nextAfter(NOW)
                .orElseThrow()
                .toString();
    }
}
