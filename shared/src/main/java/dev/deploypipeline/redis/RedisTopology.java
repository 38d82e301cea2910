package dev.deploypipeline.redis;

import java.util.List;
import java.util.Objects;

/**
 * Which Redis the pipeline talks to: one server ({@code REDIS_URL}), a Redis Cluster found from some of its nodes
 * ({@code REDIS_CLUSTER_NODES}), or the master a set of Sentinels names ({@code REDIS_SENTINEL_*}). Nodes are
 * {@code host:port}; in the last two, {@code REDIS_URL} gives only the user, password, TLS and database.
 */
public sealed interface RedisTopology {

    /** The one server of {@code REDIS_URL}. */
    record Standalone() implements RedisTopology {}

    /** A Redis Cluster, found from any of {@code nodes}; Lettuce follows its slots and failovers from there. */
    record Cluster(List<String> nodes) implements RedisTopology {
        public Cluster {
            nodes = HostAndPort.checked(nodes, "REDIS_CLUSTER_NODES");
        }
    }

    /**
     * The master that the Sentinels at {@code nodes} know as {@code master}, asked again at each reconnect, so a
     * failover is followed.
     *
     * @param password the Sentinels' own password ({@code requirepass} of sentinel.conf), empty for none
     */
    record Sentinel(String master, List<String> nodes, String password) implements RedisTopology {
        public Sentinel {
            Objects.requireNonNull(master, "master");
            Objects.requireNonNull(password, "password");
            nodes = HostAndPort.checked(nodes, "REDIS_SENTINEL_NODES");
        }
    }

    /** The one of these the settings name, refusing both at once, or a Sentinel master without Sentinels. */
    static RedisTopology of(
            List<String> clusterNodes, String sentinelMaster, List<String> sentinelNodes, String sentinelPassword) {
        boolean cluster = clusterNodes != null && !clusterNodes.isEmpty();
        boolean sentinel = sentinelMaster != null && !sentinelMaster.isBlank();
        if (cluster && sentinel) {
            throw new IllegalArgumentException("REDIS_CLUSTER_NODES and REDIS_SENTINEL_MASTER cannot both be set");
        }
        if (cluster) {
            return new Cluster(clusterNodes);
        }
        if (sentinel) {
            return new Sentinel(
                    sentinelMaster.strip(), sentinelNodes, sentinelPassword == null ? "" : sentinelPassword);
        }
        if (sentinelNodes != null && !sentinelNodes.isEmpty()) {
            throw new IllegalArgumentException("REDIS_SENTINEL_NODES is set without REDIS_SENTINEL_MASTER");
        }
        return new Standalone();
    }
}
