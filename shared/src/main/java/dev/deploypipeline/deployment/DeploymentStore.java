package dev.deploypipeline.deployment;

import dev.deploypipeline.redis.LuaScript;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Deployments in Redis: the {@code status} hash (id → state, for {@code redis-cli HGET status {id}}) and
 * one {@code deployment:{id}} hash per deployment with the whole record. Every state change is one Lua
 * script that checks the state it comes from, so a deployment delivered twice never moves backwards.
 */
public final class DeploymentStore {

    private static final LuaScript CREATE = new LuaScript("""
            if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
            redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
            for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
            return 1
            """, ScriptOutputType.INTEGER);

    // ARGV: id, new state, number of allowed current states, those states..., then field/value pairs.
    private static final LuaScript TRANSITION = new LuaScript("""
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            if not current then return {0, ''} end
            local allowed = tonumber(ARGV[3])
            for i = 4, 3 + allowed do
              if ARGV[i] == current then
                redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
                redis.call('HSET', KEYS[2], 'status', ARGV[2])
                for j = 4 + allowed, #ARGV, 2 do
                  if ARGV[j + 1] == '' then redis.call('HDEL', KEYS[2], ARGV[j])
                  else redis.call('HSET', KEYS[2], ARGV[j], ARGV[j + 1]) end
                end
                return {1, current}
              end
            end
            return {0, current}
            """, ScriptOutputType.MULTI);

    // The state and the queue entry change together, so an id is never `uploaded` with nothing queued.
    // Idempotent, so a call that timed out after Redis ran it can be retried: finding its own commit
    // recorded already, the retry answers as the first call did and queues nothing more.
    private static final LuaScript UPLOAD_AND_ENQUEUE = new LuaScript("""
            if redis.call('HGET', KEYS[1], ARGV[1]) ~= 'cloning' then
              if redis.call('HGET', KEYS[2], 'commit') == ARGV[2] then return 1 end
              return 0
            end
            redis.call('HSET', KEYS[1], ARGV[1], 'uploaded')
            redis.call('HSET', KEYS[2], 'status', 'uploaded', 'commit', ARGV[2], 'uploadedAt', ARGV[3])
            redis.call('LPUSH', KEYS[3], ARGV[1])
            return 1
            """, ScriptOutputType.INTEGER);

    // Only the builder that last started the build may finish it: a reaped build that was in fact still
    // alive (at-least-once delivery) cannot mark it deployed over the build that took it over. Idempotent
    // for that builder, so a call that timed out after Redis ran it can be retried.
    private static final LuaScript DEPLOYED_BY = new LuaScript("""
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            local builder = redis.call('HGET', KEYS[2], 'builtBy') or ''
            if current == 'deployed' and builder == ARGV[2] then return {1, 'building'} end
            if current ~= 'building' then return {0, current or ''} end
            if builder ~= ARGV[2] then return {0, current} end
            redis.call('HSET', KEYS[1], ARGV[1], 'deployed')
            redis.call('HSET', KEYS[2], 'status', 'deployed', 'finishedAt', ARGV[3])
            redis.call('HDEL', KEYS[2], 'error')
            return {1, current}
            """, ScriptOutputType.MULTI);

    private final RedisCommands<String, String> redis;
    private final RedisKeys keys;
    private final Clock clock;

    public DeploymentStore(RedisConnector connector, Clock clock) {
        this.redis = connector.shared().sync();
        this.keys = connector.keys();
        this.clock = clock;
    }

    /** Records a new deployment in state {@code cloning}. */
    public void create(Deployment deployment) {
        Map<String, String> fields = DeploymentHash.toFields(deployment);
        List<String> args = new ArrayList<>(List.of(
                deployment.id().value(),
                deployment.status().word(),
                Long.toString(deployment.createdAt().toEpochMilli())));
        fields.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        Long created = CREATE.run(redis, deploymentKeys(deployment.id(), keys.deployments()), args.toArray(String[]::new));
        if (created == null || created == 0) {
            throw new IllegalStateException("deployment " + deployment.id() + " exists already");
        }
    }

    public Optional<Deployment> find(DeploymentId id) {
        Map<String, String> fields = redis.hgetall(keys.deployment(id));
        return fields.isEmpty() ? Optional.empty() : Optional.of(DeploymentHash.fromFields(id, fields));
    }

    public Optional<DeploymentState> state(DeploymentId id) {
        return Optional.ofNullable(redis.hget(keys.status(), id.value())).flatMap(DeploymentState::fromWord);
    }

    /** The newest deployments first. */
    public List<Deployment> newest(int limit) {
        return redis.zrevrange(keys.deployments(), 0, Math.max(0, limit - 1)).stream()
                .map(DeploymentId::parse)
                .flatMap(Optional::stream)
                .map(this::find)
                .flatMap(Optional::stream)
                .toList();
    }

    /**
     * Moves a deployment to {@code to} if it is now in one of {@code from}, setting {@code fields} in the
     * same step (an empty value removes a field). Returns what it found, and whether it moved.
     */
    public Transition transition(DeploymentId id, Set<DeploymentState> from, DeploymentState to,
            Map<String, String> fields) {
        List<String> args = new ArrayList<>();
        args.add(id.value());
        args.add(to.word());
        args.add(Integer.toString(from.size()));
        from.forEach(state -> args.add(state.word()));
        fields.forEach((field, value) -> {
            args.add(field);
            args.add(value == null ? "" : value);
        });
        List<Object> reply = TRANSITION.run(redis, deploymentKeys(id, null), args.toArray(String[]::new));
        boolean moved = ((Long) reply.get(0)) == 1L;
        Optional<DeploymentState> previous = DeploymentState.fromWord((String) reply.get(1));
        return new Transition(moved, previous);
    }

    /** {@code uploaded}: the sources are in S3 and the id is about to be queued. */
    public Transition markUploaded(DeploymentId id, String commit) {
        return transition(id, EnumSet.of(DeploymentState.CLONING), DeploymentState.UPLOADED,
                Map.of("commit", commit, "uploadedAt", now()));
    }

    /**
     * {@code uploaded} and LPUSHed onto {@code build-queue} in one step; false when the deployment was no
     * longer {@code cloning} (cancelled or failed meanwhile), in which case nothing was queued. Safe to
     * retry: a repeat with the same commit after the step went through answers true and queues nothing.
     */
    public boolean markUploadedAndEnqueue(DeploymentId id, String commit) {
        Long moved = UPLOAD_AND_ENQUEUE.run(redis, deploymentKeys(id, keys.queue()), id.value(), commit, now());
        return moved != null && moved == 1L;
    }

    /** {@code building} by no builder in particular; see {@link #markBuilding(DeploymentId, String)}. */
    public Transition markBuilding(DeploymentId id) {
        return markBuilding(id, "");
    }

    /**
     * {@code building}: {@code builder} (a queue consumer) took the id. A re-delivered id that is already
     * building may start again; the newest builder then owns it.
     */
    public Transition markBuilding(DeploymentId id, String builder) {
        return transition(id, EnumSet.of(DeploymentState.UPLOADED, DeploymentState.BUILDING), DeploymentState.BUILDING,
                Map.of("buildStartedAt", now(), "builtBy", builder));
    }

    public Transition markDeployed(DeploymentId id) {
        return markDeployed(id, "");
    }

    /**
     * {@code deployed}, only if it is still building by {@code builder}. Safe to retry: a repeat by the same
     * builder after the step went through answers as the first call did.
     */
    public Transition markDeployed(DeploymentId id, String builder) {
        List<Object> reply = DEPLOYED_BY.run(redis, deploymentKeys(id, null), id.value(), builder, now());
        return new Transition(((Long) reply.get(0)) == 1L, DeploymentState.fromWord((String) reply.get(1)));
    }

    /** Whether the deployment is building and {@code builder} is the one building it. */
    public boolean isBuildingBy(DeploymentId id, String builder) {
        return state(id).filter(DeploymentState.BUILDING::equals).isPresent()
                && builder.equals(Optional.ofNullable(redis.hget(keys.deployment(id), "builtBy")).orElse(""));
    }

    /** {@code failed} from any state that is not final yet. */
    public Transition markFailed(DeploymentId id, String reason) {
        return transition(id, EnumSet.of(DeploymentState.CLONING, DeploymentState.UPLOADED, DeploymentState.BUILDING),
                DeploymentState.FAILED, Map.of("finishedAt", now(), "error", reason));
    }

    /**
     * {@code cancelled} from any state that is not final yet, with the reason as its error. A {@code cloning}
     * one is never queued afterwards ({@link #markUploadedAndEnqueue} refuses); an {@code uploaded} one must
     * also leave the queue and a {@code building} one be stopped, which the caller sees to.
     */
    public Transition markCancelled(DeploymentId id, String reason) {
        return transition(id, EnumSet.of(DeploymentState.CLONING, DeploymentState.UPLOADED, DeploymentState.BUILDING),
                DeploymentState.CANCELLED, Map.of("finishedAt", now(), "error", reason));
    }

    /**
     * Holds a deployment being fetched for {@code lease} more; the fetcher renews it while it works, so a
     * lapsed lease means the upload-service fetching it has died.
     */
    public void renewCloningLease(DeploymentId id, Duration lease) {
        redis.zadd(keys.cloningLeases(), Instant.now(clock).plus(lease).toEpochMilli(), id.value());
    }

    public void releaseCloningLease(DeploymentId id) {
        redis.zrem(keys.cloningLeases(), id.value());
    }

    /** Deployments whose fetcher's lease has run out, whatever state they reached since. */
    public List<DeploymentId> lapsedCloningLeases() {
        return redis.zrangebyscore(keys.cloningLeases(),
                        Range.create(Double.NEGATIVE_INFINITY, (double) Instant.now(clock).toEpochMilli()))
                .stream().map(DeploymentId::parse).flatMap(Optional::stream).toList();
    }

    /**
     * {@code cancelled} from {@code cloning} or {@code uploaded} only (a newer push supersedes a deployment
     * that has not started building). A {@code cloning} one is never queued afterwards, as
     * {@link #markUploadedAndEnqueue} then refuses; an {@code uploaded} one must also leave the queue, which the
     * caller does.
     */
    public Transition cancelWaiting(DeploymentId id, String reason) {
        return transition(id, EnumSet.of(DeploymentState.CLONING, DeploymentState.UPLOADED), DeploymentState.CANCELLED,
                Map.of("finishedAt", now(), "error", reason));
    }

    private String now() {
        return Instant.now(clock).toString();
    }

    private String[] deploymentKeys(DeploymentId id, String extra) {
        return extra == null
                ? new String[] {keys.status(), keys.deployment(id)}
                : new String[] {keys.status(), keys.deployment(id), extra};
    }

    /** What a transition found: whether it moved, and the state it found before. */
    public record Transition(boolean moved, Optional<DeploymentState> previous) {
    }

    /** Field names of the {@code deployment:{id}} hash. */
    static final class DeploymentHash {

        private DeploymentHash() {
        }

        static Map<String, String> toFields(Deployment d) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("id", d.id().value());
            put(fields, "repoUrl", d.repoUrl());
            put(fields, "ref", d.ref());
            put(fields, "commit", d.commit());
            put(fields, "project", d.project());
            fields.put("status", d.status().word());
            put(fields, "error", d.error());
            put(fields, "createdAt", d.createdAt());
            put(fields, "uploadedAt", d.uploadedAt());
            put(fields, "buildStartedAt", d.buildStartedAt());
            put(fields, "finishedAt", d.finishedAt());
            fields.put("attempts", Integer.toString(d.attempts()));
            d.build().writeTo(fields);
            return fields;
        }

        static Deployment fromFields(DeploymentId id, Map<String, String> f) {
            return new Deployment(
                    id,
                    f.get("repoUrl"),
                    f.get("ref"),
                    f.get("commit"),
                    f.get("project"),
                    DeploymentState.fromWord(f.get("status")).orElse(DeploymentState.FAILED),
                    f.get("error"),
                    instant(f.get("createdAt")),
                    instant(f.get("uploadedAt")),
                    instant(f.get("buildStartedAt")),
                    instant(f.get("finishedAt")),
                    f.containsKey("attempts") ? Integer.parseInt(f.get("attempts")) : 0,
                    BuildSettings.readFrom(f));
        }

        private static void put(Map<String, String> fields, String name, Object value) {
            if (value != null) {
                fields.put(name, value.toString());
            }
        }

        private static Instant instant(String value) {
            return value == null ? null : Instant.parse(value);
        }
    }
}
