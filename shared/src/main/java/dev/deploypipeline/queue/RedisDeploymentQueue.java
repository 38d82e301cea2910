package dev.deploypipeline.queue;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.redis.LuaScript;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The queue on a Redis list: LPUSHed at the left by the transitions, BLMOVEd from the right into
 * {@code build-queue:processing:{consumer}}, LREMed when done.
 */
public final class RedisDeploymentQueue implements DeploymentQueue {

    // Ids to the right of this one are older, so they are built first.
    private static final LuaScript POSITION = new LuaScript("""
            local index = redis.call('LPOS', KEYS[1], ARGV[1])
            if not index then return -1 end
            return redis.call('LLEN', KEYS[1]) - 1 - index
            """, ScriptOutputType.INTEGER);

    private final RedisConnector connector;
    private final DeploymentTransitions transitions;
    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;

    public RedisDeploymentQueue(RedisConnector connector, DeploymentTransitions transitions) {
        this.connector = connector;
        this.transitions = transitions;
        this.redis = connector.shared().sync();
        this.keys = connector.keys();
    }

    @Override
    public long length() {
        return redis.llen(keys.queue());
    }

    @Override
    public OptionalLong position(DeploymentId id) {
        Long ahead = POSITION.run(redis, new String[] {keys.queue()}, id.value());
        return ahead == null || ahead < 0 ? OptionalLong.empty() : OptionalLong.of(ahead);
    }

    @Override
    public List<DeploymentId> waiting(int limit) {
        // Consumers take from the right: the right end is built next.
        List<String> ids = new ArrayList<>(redis.lrange(keys.queue(), -Math.max(1, limit), -1));
        Collections.reverse(ids);
        return ids.stream().map(DeploymentId::parse).flatMap(Optional::stream).toList();
    }

    @Override
    public QueueConsumer consumer(String name) {
        return new RedisQueueConsumer(connector, transitions, name);
    }
}
