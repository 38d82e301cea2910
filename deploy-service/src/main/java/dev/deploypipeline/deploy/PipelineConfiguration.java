package dev.deploypipeline.deploy;

import dev.deploypipeline.deploy.sandbox.BuildSandbox;
import dev.deploypipeline.deploy.sandbox.NetworkGate;
import dev.deploypipeline.deploy.sandbox.SandboxSettings;
import dev.deploypipeline.deploy.worker.RecoverySettings;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.queue.DeploymentQueue;
import dev.deploypipeline.queue.QueueRecovery;
import dev.deploypipeline.retry.TransientFaults;
import dev.deploypipeline.queue.RedisDeploymentQueue;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisSettings;
import dev.deploypipeline.storage.S3ObjectStorage;
import dev.deploypipeline.storage.S3Settings;
import dev.deploypipeline.deploy.egress.EgressGate;
import dev.deploypipeline.deploy.egress.EgressSettings;
import dev.deploypipeline.network.AddressPolicy;
import dev.deploypipeline.network.HostResolver;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The shared library's Redis and S3 adapters, configured from the documented variables. Read through
 * Spring's {@link Environment} so tests can set {@code REDIS_URL} or {@code S3_BUCKET} as properties.
 */
@Configuration(proxyBeanMethods = false)
class PipelineConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    RedisConnector redisConnector(Environment environment) {
        return new RedisConnector(RedisSettings.fromEnvironment(environment::getProperty));
    }

    @Bean
    DeploymentStore deploymentStore(RedisConnector redis) {
        return new DeploymentStore(redis);
    }

    @Bean
    DeploymentTransitions deploymentTransitions(RedisConnector redis, Clock clock) {
        return new DeploymentTransitions(redis, clock);
    }

    @Bean
    ProjectStore projectStore(RedisConnector redis) {
        return new ProjectStore(redis);
    }

    @Bean
    DeploymentQueue deploymentQueue(RedisConnector redis, DeploymentTransitions transitions) {
        return new RedisDeploymentQueue(redis, transitions);
    }

    @Bean
    S3ObjectStorage objectStorage(Environment environment) {
        S3ObjectStorage storage = new S3ObjectStorage(S3Settings.fromEnvironment(environment::getProperty));
        storage.ensureBucket();
        return storage;
    }

    @Bean
    QueueRecovery queueRecovery(RedisConnector redis, DeploymentTransitions transitions, Clock clock) {
        return new QueueRecovery(redis, transitions, clock);
    }

    /**
     * A build's way to the network: public addresses and {@code BUILD_EGRESS_ALLOWED_HOSTS}, never this
     * pipeline's own Redis and S3 endpoint, wherever they are.
     */
    @Bean
    NetworkGate networkGate(SandboxSettings sandbox, Environment environment) {
        List<String> pipelineServices = new ArrayList<>();
        URI redis = RedisSettings.fromEnvironment(environment::getProperty).url();
        pipelineServices.add(redis.getHost() + ":" + (redis.getPort() == -1 ? 6379 : redis.getPort()));
        URI s3 = S3Settings.fromEnvironment(environment::getProperty).endpoint();
        if (s3 != null) {
            pipelineServices.add(s3.getHost() + ":"
                    + (s3.getPort() != -1 ? s3.getPort() : "https".equals(s3.getScheme()) ? 443 : 80));
        }
        EgressGate gate = new EgressGate(new AddressPolicy(sandbox.egressAllowedHosts(), HostResolver.SYSTEM),
                pipelineServices, EgressSettings.DEFAULTS);
        return gate::open;
    }

    /** What this machine allows builds to be held in, looked at once at start. */
    @Bean
    BuildSandbox buildSandbox(SandboxSettings sandbox, DeploySettings deploy, NetworkGate gate) {
        return BuildSandbox.start(sandbox, deploy.workDir(), gate, System.getenv().getOrDefault("PATH", ""),
                System.getenv());
    }

    @Bean
    TransientFaults transientFaults(RecoverySettings recovery) {
        return new TransientFaults(recovery.retryGiveUpAfter());
    }

    @Bean
    HealthIndicator redisHealthIndicator(RedisConnector redis) {
        return () -> Health.up().withDetail("ping", redis.shared().sync().ping()).build();
    }

    /** A listing under a prefix nothing uses: one cheap request that proves the bucket answers. */
    @Bean
    HealthIndicator objectStorageHealthIndicator(S3ObjectStorage storage) {
        return () -> {
            storage.list("health/");
            return Health.up().build();
        };
    }
}
