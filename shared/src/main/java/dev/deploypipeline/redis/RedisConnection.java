package dev.deploypipeline.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

/**
 * A connection to one Redis or to a Redis Cluster, with the commands both have: Lettuce's {@link
 * RedisClusterCommands}, which its standalone and its cluster commands both extend. On a cluster each command goes
 * to the node that owns its key's slot; a script's keys and both lists of a BLMOVE must hash to one slot (a
 * {@code {tag}} in {@code REDIS_KEY_PREFIX}).
 */
public final class RedisConnection implements AutoCloseable {

    private final StatefulConnection<String, String> connection;
    private final RedisClusterCommands<String, String> sync;
    private final RedisClusterAsyncCommands<String, String> async;

    private RedisConnection(
            StatefulConnection<String, String> connection,
            RedisClusterCommands<String, String> sync,
            RedisClusterAsyncCommands<String, String> async) {
        this.connection = connection;
        this.sync = sync;
        this.async = async;
    }

    static RedisConnection of(StatefulRedisConnection<String, String> connection) {
        return new RedisConnection(connection, connection.sync(), connection.async());
    }

    static RedisConnection of(StatefulRedisClusterConnection<String, String> connection) {
        return new RedisConnection(connection, connection.sync(), connection.async());
    }

    public RedisClusterCommands<String, String> sync() {
        return sync;
    }

    public RedisClusterAsyncCommands<String, String> async() {
        return async;
    }

    @Override
    public void close() {
        connection.close();
    }
}
