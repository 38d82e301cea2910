package dev.deploypipeline.redis;

import io.lettuce.core.RedisURI;
import java.util.List;

/**
 * The Lettuce addresses of {@link RedisSettings}: the server of its URL, each node of its cluster, or its master
 * through its Sentinels, each with the URL's user, password, TLS and database and the command timeout.
 */
final class RedisEndpoints {

    private final RedisSettings settings;
    private final RedisURI url;

    RedisEndpoints(RedisSettings settings) {
        this.settings = settings;
        this.url = RedisURI.create(settings.url());
    }

    /** The one server of the URL, or its master through the Sentinels. */
    RedisURI server() {
        if (settings.topology() instanceof RedisTopology.Sentinel sentinel) {
            RedisURI.Builder builder = credentialsOf(RedisURI.builder()).withSentinelMasterId(sentinel.master());
            for (String node : sentinel.nodes()) {
                HostAndPort address = HostAndPort.parse(node);
                builder.withSentinel(
                        address.host(), address.port(), sentinel.password().isEmpty() ? null : sentinel.password());
            }
            return named(builder.build());
        }
        RedisURI server = RedisURI.create(settings.url());
        server.setTimeout(settings.commandTimeout());
        return named(server);
    }

    /** Every node named, from which the cluster client learns the rest. */
    List<RedisURI> clusterNodes() {
        List<String> nodes = ((RedisTopology.Cluster) settings.topology()).nodes();
        return nodes.stream()
                .map(HostAndPort::parse)
                .map(address -> named(credentialsOf(RedisURI.Builder.redis(address.host(), address.port()))
                        .build()))
                .toList();
    }

    private RedisURI.Builder credentialsOf(RedisURI.Builder builder) {
        return builder.withSsl(url)
                .withAuthentication(url)
                .withDatabase(url.getDatabase())
                .withTimeout(settings.commandTimeout());
    }

    private static RedisURI named(RedisURI uri) {
        // Redis 7.0 does not know CLIENT SETINFO; the errors are harmless but noisy.
        uri.setLibraryName("");
        uri.setLibraryVersion("");
        return uri;
    }
}
