package dev.deploypipeline.upload.retention;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.redis.LuaScript;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * What retention keeps in Redis: {@code retention} (project → how many deployments it keeps, when it chose),
 * {@code retention:lock} (the replica sweeping), {@code retention:sources-swept-until}, {@code purged} (purged ids
 * by when) and {@code purged:pending} (purged ids whose objects are still in S3). A purge is one script.
 */
@Component
class RetentionStore {

    private static final LuaScript PURGE =
            LuaScript.resource(RetentionStore.class, "purge.lua", ScriptOutputType.INTEGER);
    private static final LuaScript RELEASE =
            LuaScript.resource(RetentionStore.class, "release.lua", ScriptOutputType.INTEGER);
    private static final String FINAL_STATES = Arrays.stream(DeploymentState.values())
            .filter(DeploymentState::isFinal)
            .map(DeploymentState::word)
            .collect(Collectors.joining(","));

    /** What the purge script answered. */
    enum Outcome {
        PURGED,
        GONE,
        NOT_ENDED,
        SERVED
    }

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;

    RetentionStore(RedisConnector connector) {
        this.redis = connector.shared().sync();
        this.keys = connector.keys();
    }

    Optional<Integer> keep(ProjectName project) {
        return Optional.ofNullable(redis.hget(keys.retention(), project.value()))
                .map(Integer::valueOf);
    }

    void setKeep(ProjectName project, Optional<Integer> keep) {
        if (keep.isPresent()) {
            redis.hset(keys.retention(), project.value(), keep.get().toString());
        } else {
            redis.hdel(keys.retention(), project.value());
        }
    }

    /** Every deployment a site serves now: the targets of every alias. */
    Set<String> served() {
        return new HashSet<>(redis.hvals(keys.aliases()));
    }

    /** Ids created before {@code before}, oldest first. */
    List<DeploymentId> createdBefore(Instant before) {
        return ids(Range.create(Double.NEGATIVE_INFINITY, (double) before.toEpochMilli()), Integer.MAX_VALUE);
    }

    /** Up to {@code limit} ids created after {@code after} and no later than {@code until}, oldest first. */
    List<ScoredId> createdBetween(long after, Instant until, int limit) {
        return redis
                .zrangebyscoreWithScores(
                        keys.deployments(),
                        Range.from(Range.Boundary.excluding(after), Range.Boundary.including(until.toEpochMilli())),
                        Limit.create(0, limit))
                .stream()
                .map(scored -> new ScoredId(new DeploymentId(scored.getValue()), (long) scored.getScore()))
                .toList();
    }

    record ScoredId(DeploymentId id, long createdAt) {}

    private List<DeploymentId> ids(Range<Double> range, int limit) {
        return redis.zrangebyscore(keys.deployments(), range, Limit.create(0, limit)).stream()
                .map(DeploymentId::parse)
                .flatMap(Optional::stream)
                .toList();
    }

    Outcome purge(DeploymentId id, String project, Instant now) {
        List<String> scriptKeys = new ArrayList<>(List.of(
                keys.status(),
                keys.deployment(id.value()),
                keys.deployments(),
                keys.purged(),
                keys.purgePending(),
                keys.buildLog(id.value()),
                keys.deadLetters(),
                keys.aliases()));
        if (project != null) {
            scriptKeys.add(keys.projectHistory(project));
        }
        Long answer = PURGE.run(
                redis, scriptKeys.toArray(String[]::new), id.value(), Long.toString(now.toEpochMilli()), FINAL_STATES);
        return switch (answer == null ? 0 : answer.intValue()) {
            case 1 -> Outcome.PURGED;
            case -1 -> Outcome.NOT_ENDED;
            case -2 -> Outcome.SERVED;
            default -> Outcome.GONE;
        };
    }

    Optional<Instant> purgedAt(DeploymentId id) {
        return Optional.ofNullable(redis.zscore(keys.purged(), id.value()))
                .map(score -> Instant.ofEpochMilli(score.longValue()));
    }

    /** Forgets purges older than {@code before}: their ids then answer 404 instead of 410. */
    void forgetPurgedBefore(Instant before) {
        redis.zremrangebyscore(keys.purged(), Range.create(Double.NEGATIVE_INFINITY, (double) before.toEpochMilli()));
    }

    Set<String> pending() {
        return redis.smembers(keys.purgePending());
    }

    void removedFromStorage(String id) {
        redis.srem(keys.purgePending(), id);
    }

    boolean isDeadLetter(DeploymentId id) {
        return redis.lpos(keys.deadLetters(), id.value()) != null;
    }

    long sourcesSweptUntil() {
        return Optional.ofNullable(redis.get(keys.sourcesSweptUntil()))
                .map(Long::parseLong)
                .orElse(0L);
    }

    void sourcesSweptUntil(long createdAt) {
        redis.set(keys.sourcesSweptUntil(), Long.toString(createdAt));
    }

    boolean lock(String holder, Duration ttl) {
        return "OK"
                .equals(redis.set(
                        keys.retentionLock(), holder, SetArgs.Builder.nx().px(ttl.toMillis())));
    }

    void unlock(String holder) {
        RELEASE.run(redis, new String[] {keys.retentionLock()}, holder);
    }
}
