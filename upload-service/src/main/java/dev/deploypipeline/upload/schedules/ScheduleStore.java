package dev.deploypipeline.upload.schedules;

import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.redis.LuaScript;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Schedules in Redis: {@code project:{name}:schedule} (a hash: cron, timeZone, and the last run) and
 * {@code schedules} (every scheduled project, scored by its next run), which every upload-service polls; one
 * claims each due run with a script that moves the next run on only if nobody did so first.
 */
@Component
class ScheduleStore {

    private static final LuaScript CLAIM =
            LuaScript.resource(ScheduleStore.class, "claim.lua", ScriptOutputType.INTEGER);

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;

    ScheduleStore(RedisConnector connector) {
        this.redis = connector.shared().sync();
        this.keys = connector.keys();
    }

    /** A run of {@code project} that was due at {@code at}, as the sorted set scores it. */
    record Due(ProjectName project, long at) {}

    Optional<CronSchedule> find(ProjectName project) {
        Map<String, String> fields = redis.hgetall(keys.projectSchedule(project.value()));
        if (fields.get("cron") == null) {
            return Optional.empty();
        }
        return Optional.of(new CronSchedule(fields.get("cron"), ZoneId.of(fields.getOrDefault("timeZone", "UTC"))));
    }

    /** Sets the schedule and when it runs next. */
    void save(ProjectName project, CronSchedule schedule, Instant next) {
        redis.hset(
                keys.projectSchedule(project.value()),
                Map.of("cron", schedule.expression(), "timeZone", schedule.timeZone()));
        redis.zadd(keys.schedules(), next.toEpochMilli(), project.value());
    }

    void remove(ProjectName project) {
        redis.zrem(keys.schedules(), project.value());
        redis.del(keys.projectSchedule(project.value()));
    }

    Optional<Instant> nextRun(ProjectName project) {
        return Optional.ofNullable(redis.zscore(keys.schedules(), project.value()))
                .map(score -> Instant.ofEpochMilli(score.longValue()));
    }

    /** The runs due at {@code now}, the longest due first. */
    List<Due> due(Instant now, int limit) {
        return redis
                .zrangebyscoreWithScores(
                        keys.schedules(),
                        Range.create(Double.NEGATIVE_INFINITY, (double) now.toEpochMilli()),
                        Limit.create(0, limit))
                .stream()
                .map(scored -> new Due(new ProjectName(scored.getValue()), (long) scored.getScore()))
                .toList();
    }

    /** Whether this caller claimed the run due at {@code due.at()}, which then runs next at {@code next}. */
    boolean claim(Due due, Instant now, Instant next) {
        Long claimed = CLAIM.run(
                redis,
                new String[] {
                    keys.schedules(), keys.projectSchedule(due.project().value())
                },
                due.project().value(),
                Long.toString(due.at()),
                Long.toString(now.toEpochMilli()),
                Long.toString(next.toEpochMilli()));
        return claimed != null && claimed == 1L;
    }

    /** What the claimed run did: the deployment it started or joined, or why it started none. */
    void recordRun(ProjectName project, String outcome) {
        redis.hset(keys.projectSchedule(project.value()), "lastRun", outcome);
    }
}
