package dev.deploypipeline.deployment;

import dev.deploypipeline.deployment.DeploymentState.Move;
import dev.deploypipeline.redis.LuaScript;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deployment state machine: every move of {@link Move}, each one Lua script (a resource beside this class,
 * opening with its KEYS, ARGV and answers) that checks the state it comes from, changes the state in the
 * {@code status} hash and the record together, and queues or unqueues the id in the same step. This is the one
 * way into {@code build-queue}, and each move is told on the {@code deployment-events} stream in the same step.
 * Every key a script touches is in its KEYS. {@link DeploymentStore} only reads.
 */
public final class DeploymentTransitions {

    private static final String LIBRARY = "transitions/_library.lua";
    private static final LuaScript ACCEPT = script("accept.lua", ScriptOutputType.INTEGER);
    private static final LuaScript MOVE = script("move.lua", ScriptOutputType.MULTI);
    private static final LuaScript START = script("start.lua", ScriptOutputType.MULTI);
    private static final LuaScript UPLOAD = script("upload.lua", ScriptOutputType.INTEGER);
    private static final LuaScript FINISH = script("finish.lua", ScriptOutputType.MULTI);
    private static final LuaScript CANCEL = script("cancel.lua", ScriptOutputType.MULTI);
    private static final LuaScript GIVE_BACK = script("give-back.lua", ScriptOutputType.INTEGER);
    private static final LuaScript REAP = script("reap.lua", ScriptOutputType.MULTI);
    private static final LuaScript REQUEUE = script("requeue.lua", ScriptOutputType.INTEGER);
    private static final String GAVE_UP =
            "gave up after %d attempts: the replica building it (%s) stopped responding each time";

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;
    private final Clock clock;

    public DeploymentTransitions(RedisConnector connector, Clock clock) {
        this.redis = connector.shared().sync();
        this.keys = connector.keys();
        this.clock = clock;
    }

    private static LuaScript script(String name, ScriptOutputType type) {
        return LuaScript.resource(DeploymentTransitions.class, "transitions/" + name, type, LIBRARY);
    }

    /**
     * Records a new deployment in state {@code cloning}, holding a fetch lease of {@code lease} for its fetcher to
     * renew, and in its project's history: one step, so a deployment never exists without the lease that ends it
     * when its fetcher dies.
     */
    public void accept(Deployment deployment, Duration lease) {
        String id = deployment.id().value();
        Instant now = clock.instant();
        List<String> keyList = new ArrayList<>(List.of(
                keys.status(), keys.deployment(id), keys.deployments(), keys.cloningLeases(), keys.deploymentEvents()));
        if (deployment.project() != null) {
            keyList.add(keys.projectHistory(deployment.project()));
        }
        List<String> args = new ArrayList<>(List.of(
                id,
                deployment.status().word(),
                Long.toString(deployment.createdAt().toEpochMilli()),
                Long.toString(now.plus(lease).toEpochMilli())));
        DeploymentRecord.fields(deployment).forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        Long created = ACCEPT.run(redis, keyList.toArray(String[]::new), args.toArray(String[]::new));
        if (created == null || created == 0) {
            throw new IllegalStateException("deployment " + id + " exists already");
        }
    }

    /**
     * {@link Move#UPLOAD}: {@code uploaded} and LPUSHed onto {@code build-queue} in one step, its fetch lease
     * ended; false when it was no longer {@code cloning} (cancelled or failed meanwhile), and nothing was queued.
     * Safe to retry: a repeat with the same commit after the step went through answers true and queues nothing.
     */
    public boolean upload(DeploymentId id, String commit) {
        return upload(id, commit, false);
    }

    /**
     * {@link #upload(DeploymentId, String)}, and when {@code forSite} the deployment is built for its project's site
     * after all, not for the branch preview it was accepted for: its {@code preview} is removed in the same step, so
     * no builder ever sees it.
     */
    public boolean upload(DeploymentId id, String commit, boolean forSite) {
        List<String> args = new ArrayList<>(
                List.of(id.value(), commit, now(), Move.UPLOAD.to().word(), words(Move.UPLOAD)));
        if (forSite) {
            args.addAll(List.of("preview", ""));
        }
        Long moved = UPLOAD.run(redis, waitingKeys(id), args.toArray(String[]::new));
        return moved != null && moved == 1L;
    }

    /**
     * {@link Move#START}: {@code builder} (a queue consumer) took the id. A re-delivered id that is already
     * building may start again, the newest builder then owning it, but only while the id is in {@code builder}'s
     * processing list: a late START from a builder whose id was reaped and taken by another does not move.
     */
    public Transition start(DeploymentId id, String builder) {
        return transition(START.run(
                redis,
                new String[] {
                    keys.status(), keys.deployment(id.value()), keys.deploymentEvents(), keys.processing(builder)
                },
                id.value(),
                Move.START.to().word(),
                words(Move.START),
                builder,
                now()));
    }

    /** {@link Move#DEPLOY}, only by the builder that owns it; safe for that builder to retry. */
    public Transition deploy(DeploymentId id, String builder) {
        return finish(id, builder, Move.DEPLOY, "");
    }

    /**
     * {@link Move#FAIL_BUILD}, only by the builder that owns it, with a reason a person can act on; safe for that
     * builder to retry. A builder that was reaped and replaced cannot fail the build that took over.
     */
    public Transition failBuild(DeploymentId id, String builder, String reason) {
        return finish(id, builder, Move.FAIL_BUILD, reason);
    }

    /** {@link Move#FAIL}, from any state that is not final yet, with a reason a person can act on. */
    public Transition fail(DeploymentId id, String reason) {
        return move(id, Move.FAIL, Map.of("finishedAt", now(), "error", reason));
    }

    /**
     * {@link Move#FAIL_FETCH}: failed only while it is still {@code cloning}, with a reason a person can act on. Its
     * fetch lease ends in the same step, as it does with the upload: never while the deployment is still cloning.
     */
    public Transition failFetch(DeploymentId id, String reason) {
        return move(id, Move.FAIL_FETCH, Map.of("finishedAt", now(), "error", reason), keys.cloningLeases());
    }

    /**
     * {@link Move#CANCEL} (from any state not final yet) or {@link Move#SUPERSEDE} (only while it waits): it is
     * {@code cancelled} with the reason as its error, leaves the queue or its fetch lease, and a running build is
     * announced on the {@code cancellations} channel for the replica building it, all in one step.
     */
    public Transition cancel(DeploymentId id, Move move, String reason) {
        if (move.to() != DeploymentState.CANCELLED) {
            throw new IllegalArgumentException(move + " does not cancel");
        }
        return transition(CANCEL.run(
                redis,
                waitingKeys(id),
                id.value(),
                move.to().word(),
                words(move),
                now(),
                reason,
                DeploymentState.UPLOADED.word(),
                DeploymentState.BUILDING.word(),
                keys.cancellations()));
    }

    /**
     * {@link Move#GIVE_BACK}: the consumer's id goes back to the end of the queue taken next, waiting again, unless
     * it ended meanwhile. Used when a replica stops before the build ends.
     */
    public boolean giveBack(String consumer, DeploymentId id) {
        Long given = GIVE_BACK.run(
                redis,
                new String[] {
                    keys.processing(consumer),
                    keys.queue(),
                    keys.status(),
                    keys.deployment(id.value()),
                    keys.deploymentEvents()
                },
                id.value(),
                Move.GIVE_BACK.to().word(),
                words(Move.GIVE_BACK));
        return given != null && given == 1L;
    }

    /**
     * The ids of a consumer whose heartbeat expired go back to the queue with one more attempt ({@link
     * Move#GIVE_BACK}), or past {@code maxAttempts} end failed and dead-lettered ({@link Move#FAIL}); nothing while
     * its heartbeat lives. The ids are read first, so each record is named in the script's KEYS.
     */
    public Reaped reap(String consumer, int maxAttempts) {
        List<String> ids = redis.lrange(keys.processing(consumer), 0, -1);
        if (ids.isEmpty()) {
            return new Reaped(List.of(), List.of());
        }
        List<String> keyList = new ArrayList<>(List.of(
                keys.processing(consumer),
                keys.heartbeat(consumer),
                keys.queue(),
                keys.deadLetters(),
                keys.status(),
                keys.deploymentEvents()));
        ids.forEach(id -> keyList.add(keys.deployment(id)));
        List<String> args = new ArrayList<>(List.of(
                Integer.toString(maxAttempts),
                now(),
                Move.GIVE_BACK.to().word(),
                Move.FAIL.to().word(),
                words(Move.GIVE_BACK),
                GAVE_UP.replace("%s", consumer.replace("%", "%%"))));
        args.addAll(ids);
        List<Object> reply = REAP.run(redis, keyList.toArray(String[]::new), args.toArray(String[]::new));
        return new Reaped(ids(reply.get(0)), ids(reply.get(1)));
    }

    /** {@link Move#REQUEUE}: a dead letter is queued again with its attempts reset; false when it was not one. */
    public boolean requeue(DeploymentId id) {
        Long moved = REQUEUE.run(
                redis,
                new String[] {
                    keys.deadLetters(),
                    keys.status(),
                    keys.deployment(id.value()),
                    keys.queue(),
                    keys.deploymentEvents()
                },
                id.value(),
                Move.REQUEUE.to().word(),
                words(Move.REQUEUE));
        return moved != null && moved == 1L;
    }

    private Transition finish(DeploymentId id, String builder, Move move, String error) {
        return transition(FINISH.run(
                redis, recordKeys(id), id.value(), builder, now(), move.to().word(), words(move), error));
    }

    /** A move of the record alone; {@code leaving}: the key of a sorted set the id leaves with it, if any. */
    private Transition move(DeploymentId id, Move move, Map<String, String> fields, String... leaving) {
        List<String> args = new ArrayList<>(List.of(id.value(), move.to().word(), words(move)));
        fields.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        List<String> keyList = new ArrayList<>(List.of(recordKeys(id)));
        keyList.addAll(List.of(leaving));
        return transition(MOVE.run(redis, keyList.toArray(String[]::new), args.toArray(String[]::new)));
    }

    /** The record's keys and the two places a waiting deployment is held: the queue and the fetch leases. */
    private String[] waitingKeys(DeploymentId id) {
        return new String[] {
            keys.status(), keys.deployment(id.value()), keys.queue(), keys.cloningLeases(), keys.deploymentEvents()
        };
    }

    private String[] recordKeys(DeploymentId id) {
        return new String[] {keys.status(), keys.deployment(id.value()), keys.deploymentEvents()};
    }

    private String now() {
        return clock.instant().toString();
    }

    private static String words(Move move) {
        return String.join(",", move.fromWords());
    }

    private static Transition transition(List<Object> reply) {
        return new Transition(((Long) reply.get(0)) == 1L, DeploymentState.fromWord((String) reply.get(1)));
    }

    @SuppressWarnings("unchecked")
    private static List<DeploymentId> ids(Object reply) {
        return ((List<String>) reply).stream().map(DeploymentId::new).toList();
    }

    /** What a move found: whether it moved, and the state it found before. */
    public record Transition(boolean moved, Optional<DeploymentState> previous) {}

    /** What one pass of the reaper did to one consumer's ids. */
    public record Reaped(List<DeploymentId> requeued, List<DeploymentId> deadLettered) {}
}
