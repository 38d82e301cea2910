package dev.deploypipeline.upload;

import dev.deploypipeline.deployment.DeploymentEvents;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.queue.DeploymentQueue;
import dev.deploypipeline.queue.QueueRecovery;
import dev.deploypipeline.queue.RedisDeploymentQueue;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisSettings;
import dev.deploypipeline.storage.S3ObjectStorage;
import dev.deploypipeline.storage.S3Settings;
import dev.deploypipeline.retry.TransientFaults;
import dev.deploypipeline.network.HostResolver;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The shared library's Redis and S3 adapters and stores, set from the documented environment variables. */
@Configuration(proxyBeanMethods = false)
class PipelineConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Commands give up after {@code REDIS_COMMAND_TIMEOUT} (3s by default), so while Redis is down a request
     * is answered 503 promptly instead of hanging.
     */
    @Bean(destroyMethod = "close")
    RedisConnector redisConnector(Environment environment,
            @Value("${REDIS_COMMAND_TIMEOUT:3s}") Duration commandTimeout) {
        return new RedisConnector(RedisSettings.fromEnvironment(environment::getProperty).withCommandTimeout(commandTimeout));
    }

    @Bean(destroyMethod = "close")
    S3ObjectStorage objectStorage(Environment environment) {
        S3ObjectStorage storage = new S3ObjectStorage(S3Settings.fromEnvironment(environment::getProperty));
        storage.ensureBucket();
        return storage;
    }

    @Bean
    DeploymentStore deploymentStore(RedisConnector redis) {
        return new DeploymentStore(redis);
    }

    /** The moves on {@code deployment-events}, read without blocking; the live feed blocks on its own connection. */
    @Bean
    DeploymentEvents deploymentEvents(RedisConnector redis) {
        return new DeploymentEvents(redis);
    }

    @Bean
    DeploymentTransitions deploymentTransitions(RedisConnector redis, Clock clock) {
        return new DeploymentTransitions(redis, clock);
    }

    /** Redis and S3 steps of a fetch are retried this long while those servers are unreachable. */
    @Bean
    TransientFaults transientFaults(@Value("${RETRY_GIVE_UP_AFTER:5m}") Duration giveUpAfter) {
        return new TransientFaults(giveUpAfter);
    }

    @Bean
    QueueRecovery queueRecovery(RedisConnector redis, DeploymentTransitions transitions, Clock clock) {
        return new QueueRecovery(redis, transitions, clock);
    }

    @Bean
    DeploymentQueue deploymentQueue(RedisConnector redis, DeploymentTransitions transitions) {
        return new RedisDeploymentQueue(redis, transitions);
    }

    @Bean
    ProjectStore projectStore(RedisConnector redis) {
        return new ProjectStore(redis);
    }

    @Bean
    HostResolver hostResolver() {
        return HostResolver.SYSTEM;
    }
}
