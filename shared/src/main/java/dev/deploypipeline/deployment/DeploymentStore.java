package dev.deploypipeline.deployment;

import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deployments as they are in Redis: the {@code status} hash (id → state, for {@code redis-cli HGET status {id}})
 * and one {@code deployment:{id}} hash per deployment with the whole record. It only reads; every change is a
 * move of {@link DeploymentTransitions}.
 */
public final class DeploymentStore {

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;

    public DeploymentStore(RedisConnector connector) {
        this.redis = connector.shared().sync();
        this.keys = connector.keys();
    }

    public Optional<Deployment> find(DeploymentId id) {
        Map<String, String> fields = redis.hgetall(keys.deployment(id.value()));
        return fields.isEmpty() ? Optional.empty() : Optional.of(DeploymentRecord.read(id, fields));
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
     * The one test of whether a build is still {@code builder}'s to finish: the deployment is building and the
     * builder that last started it is this one (the rule {@link DeploymentTransitions#deploy} holds to as well).
     */
    public boolean isBuildingBy(DeploymentId id, String builder) {
        return state(id).filter(DeploymentState.BUILDING::equals).isPresent()
                && builder.equals(Optional.ofNullable(redis.hget(keys.deployment(id.value()), "builtBy"))
                        .orElse(""));
    }
}
