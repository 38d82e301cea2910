package dev.deploypipeline.deploy.sandbox;

import dev.deploypipeline.deploy.DeploySettings;
import dev.deploypipeline.deploy.egress.EgressGate;
import dev.deploypipeline.deploy.egress.EgressSettings;
import dev.deploypipeline.network.AddressPolicy;
import dev.deploypipeline.network.HostResolver;
import dev.deploypipeline.redis.RedisSettings;
import dev.deploypipeline.redis.RedisTopology;
import dev.deploypipeline.storage.S3Settings;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What holds builds on this machine, looked at once at start. */
@Configuration(proxyBeanMethods = false)
public class SandboxConfiguration {

    /**
     * A build's way to the network: public addresses and {@code BUILD_EGRESS_ALLOWED_HOSTS}, never this
     * pipeline's own Redis and S3 endpoint, wherever they are.
     */
    @Bean
    NetworkGate networkGate(SandboxSettings sandbox, RedisSettings redis, S3Settings s3) {
        EgressGate gate = new EgressGate(
                new AddressPolicy(sandbox.egressAllowedHosts(), HostResolver.SYSTEM),
                pipelineServices(redis, s3),
                EgressSettings.DEFAULTS);
        return gate::open;
    }

    @Bean
    BuildSandbox buildSandbox(SandboxSettings sandbox, DeploySettings deploy, NetworkGate gate) {
        return BuildSandbox.start(
                sandbox, deploy.workDir(), gate, System.getenv().getOrDefault("PATH", ""), System.getenv());
    }

    /**
     * {@code host:port} of the Redis and the S3 endpoint this service uses, which builds must never reach: {@code
     * REDIS_URL}'s server, and the nodes of {@code REDIS_CLUSTER_NODES} or {@code REDIS_SENTINEL_NODES} when Redis
     * is reached through them.
     */
    public static List<String> pipelineServices(RedisSettings redis, S3Settings s3) {
        List<String> services = new ArrayList<>();
        URI redisUrl = redis.url();
        if (redisUrl.getHost() != null) { // with a cluster or Sentinels, REDIS_URL may name no server
            services.add(redisUrl.getHost() + ":" + (redisUrl.getPort() == -1 ? 6379 : redisUrl.getPort()));
        }
        if (redis.topology() instanceof RedisTopology.Cluster cluster) {
            services.addAll(cluster.nodes());
        } else if (redis.topology() instanceof RedisTopology.Sentinel sentinel) {
            services.addAll(sentinel.nodes());
        }
        URI endpoint = s3.endpoint();
        if (endpoint != null) {
            services.add(endpoint.getHost() + ":"
                    + (endpoint.getPort() != -1
                            ? endpoint.getPort()
                            : "https".equals(endpoint.getScheme()) ? 443 : 80));
        }
        return services;
    }
}
