package dev.deploypipeline.autoconfigure;

import dev.deploypipeline.deployment.DeploymentEvents;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.project.PreviewStore;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.queue.DeploymentQueue;
import dev.deploypipeline.queue.QueueRecovery;
import dev.deploypipeline.queue.RedisDeploymentQueue;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisSettings;
import dev.deploypipeline.retry.TransientFaults;
import dev.deploypipeline.storage.ObjectStorage;
import dev.deploypipeline.storage.S3ObjectStorage;
import dev.deploypipeline.storage.S3Settings;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What every service of the pipeline runs on: the shared library's Redis and S3 adapters, its stores and its
 * retries, set from {@link RedisProperties}, {@link S3Properties}, {@link AwsProperties} and {@link RetryProperties},
 * and a health check of Redis and of the bucket. A service's own bean of any of these types wins.
 */
@AutoConfiguration
@EnableConfigurationProperties({RedisProperties.class, S3Properties.class, AwsProperties.class, RetryProperties.class})
public class PipelineAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    @ConditionalOnMissingBean
    RedisSettings redisSettings(RedisProperties redis) {
        return redis.settings();
    }

    @Bean
    @ConditionalOnMissingBean
    RedisConnector redisConnector(RedisSettings settings) {
        return new RedisConnector(settings);
    }

    @Bean
    @ConditionalOnMissingBean
    S3Settings s3Settings(S3Properties s3, AwsProperties aws) {
        return new S3Settings(s3.endpoint(), s3.bucket(), aws.region(), s3.parallelism());
    }

    /** The bucket is created here when it is missing, so a service never starts without one. */
    @Bean
    @ConditionalOnMissingBean(ObjectStorage.class)
    S3ObjectStorage objectStorage(S3Settings settings) {
        S3ObjectStorage storage = new S3ObjectStorage(settings);
        storage.ensureBucket();
        return storage;
    }

    @Bean
    @ConditionalOnMissingBean
    TransientFaults transientFaults(RetryProperties retry) {
        return new TransientFaults(retry.giveUpAfter());
    }

    @Bean
    @ConditionalOnMissingBean
    DeploymentStore deploymentStore(RedisConnector redis) {
        return new DeploymentStore(redis);
    }

    /** The moves on {@code deployment-events}, read without blocking; a live feed blocks on its own connection. */
    @Bean
    @ConditionalOnMissingBean
    DeploymentEvents deploymentEvents(RedisConnector redis) {
        return new DeploymentEvents(redis);
    }

    @Bean
    @ConditionalOnMissingBean
    DeploymentTransitions deploymentTransitions(RedisConnector redis, Clock clock) {
        return new DeploymentTransitions(redis, clock);
    }

    @Bean
    @ConditionalOnMissingBean
    ProjectStore projectStore(RedisConnector redis) {
        return new ProjectStore(redis);
    }

    @Bean
    @ConditionalOnMissingBean
    PreviewStore previewStore(RedisConnector redis) {
        return new PreviewStore(redis);
    }

    @Bean
    @ConditionalOnMissingBean
    DeploymentQueue deploymentQueue(RedisConnector redis, DeploymentTransitions transitions) {
        return new RedisDeploymentQueue(redis, transitions);
    }

    @Bean
    @ConditionalOnMissingBean
    QueueRecovery queueRecovery(RedisConnector redis, DeploymentTransitions transitions, Clock clock) {
        return new QueueRecovery(redis, transitions, clock);
    }

    /** {@code /actuator/health} shows {@code redis} and {@code objectStorage}, where actuator's health is there. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class HealthChecks {

        /** On a cluster, the master holding the pipeline's keys (their hash tag's slot) is the one that answers. */
        @Bean
        @ConditionalOnMissingBean(name = "redisHealthIndicator")
        HealthIndicator redisHealthIndicator(RedisConnector redis) {
            return () -> Health.up()
                    .withDetail(
                            "ping",
                            redis.shared().forPattern(redis.keys().queue()).ping())
                    .build();
        }

        /** A listing under a prefix nothing uses: one cheap request that proves the bucket answers. */
        @Bean
        @ConditionalOnMissingBean(name = "objectStorageHealthIndicator")
        HealthIndicator objectStorageHealthIndicator(ObjectStorage storage) {
            return () -> {
                storage.list("health/");
                return Health.up().build();
            };
        }
    }
}
