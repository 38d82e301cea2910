package dev.deploypipeline.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.UnblockType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to one Redis or to a Redis Cluster, with the commands both have: Lettuce's {@link
 * RedisClusterCommands}, which its standalone and its cluster commands both extend. On a cluster each command goes
 * to the node that owns its key's slot; a script's keys and both lists of a BLMOVE must hash to one slot (a
 * {@code {tag}} in {@code REDIS_KEY_PREFIX}).
 */
public final class RedisConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisConnection.class);

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

    /**
     * Names this connection in CLIENT LIST when it can. The name is for an operator's eyes only: on a Redis
     * Cluster, Lettuce names the connection at every node, and with a node down (after a failover, until it is
     * forgotten) that is refused, while the connection's own commands go to the masters that are up.
     */
    public void name(String clientName) {
        try {
            sync.clientSetname(clientName);
        } catch (RedisException e) {
            log.info("Connection not named {}: {}", clientName, e.toString());
        }
    }

    public RedisClusterAsyncCommands<String, String> async() {
        return async;
    }

    /**
     * The id this connection has at the server holding {@code key}, which {@link #unblock} there takes: on a cluster,
     * a command without a key (CLIENT ID) would go to any node, not to the one a blocking read of {@code key} waits on.
     */
    public long clientIdAt(String key) {
        return at(key).clientId();
    }

    /** Ends, as if it timed out, the blocking read that the client {@code clientId} waits in at the server of {@code key}. */
    public void unblock(String key, long clientId) {
        at(key).clientUnblock(clientId, UnblockType.TIMEOUT);
    }

    /**
     * The commands for a SCAN or KEYS of {@code pattern}: on a cluster, when the pattern has a hash tag
     * ({@code {deploy}:build-queue:processing:*}), those of the one master of the tag's slot, where every such key
     * is; otherwise those that ask every master, which wait on a failed master as long as the cluster lists it.
     */
    public RedisClusterCommands<String, String> forPattern(String pattern) {
        int open = pattern.indexOf('{');
        int close = open < 0 ? -1 : pattern.indexOf('}', open + 1);
        return close > open + 1 ? at(pattern) : sync;
    }

    private RedisClusterCommands<String, String> at(String key) {
        if (!(connection instanceof StatefulRedisClusterConnection<String, String> cluster)) {
            return sync;
        }
        RedisClusterNode master = cluster.getPartitions().getPartitionBySlot(SlotHash.getSlot(key));
        if (master == null) {
            return sync;
        }
        // By host and port, the connection the cluster client sends that slot's commands on.
        RedisURI uri = master.getUri();
        return cluster.getConnection(uri.getHost(), uri.getPort()).sync();
    }

    @Override
    public void close() {
        connection.close();
    }
}
