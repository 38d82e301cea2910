package dev.deploypipeline.upload.schedules;

import dev.deploypipeline.project.ProjectName;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * A project's schedule as its settings show it: checked when it is set ({@code SCHEDULE_MIN_INTERVAL}), kept with
 * its next run, which changes only when the schedule does.
 */
@Service
public class ProjectSchedules {

    private final ScheduleStore store;
    private final ScheduleSettings settings;
    private final Clock clock;

    ProjectSchedules(ScheduleStore store, ScheduleSettings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * The schedule {@code expression} and {@code timeZone} make, or empty for no schedule (a time zone alone is
     * still checked); a 400 when either is wrong.
     */
    public Optional<CronSchedule> check(String expression, String timeZone) {
        if (expression == null) {
            CronSchedule.zone(timeZone);
            return Optional.empty();
        }
        return Optional.of(CronSchedule.parse(expression, timeZone, settings.minInterval(), clock.instant()));
    }

    public Optional<CronSchedule> of(ProjectName project) {
        return store.find(project);
    }

    public Optional<Instant> nextRun(ProjectName project) {
        return store.nextRun(project);
    }

    /** Sets (or with empty, removes) the project's schedule; an unchanged one keeps its next run. */
    public void set(ProjectName project, Optional<CronSchedule> schedule) {
        if (schedule.isEmpty()) {
            store.remove(project);
            return;
        }
        CronSchedule wanted = schedule.get();
        boolean unchanged = store.find(project)
                        .filter(current -> Objects.equals(current.expression(), wanted.expression())
                                && current.zone().equals(wanted.zone()))
                        .isPresent()
                && store.nextRun(project).isPresent();
        if (!unchanged) {
            Instant now = clock.instant();
            store.save(project, wanted, wanted.nextAfter(now).orElseThrow());
        }
    }
}
