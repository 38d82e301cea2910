package dev.deploypipeline.site;

import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisSettings;
import dev.deploypipeline.storage.S3ObjectStorage;
import dev.deploypipeline.storage.S3Settings;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The shared library's Redis and S3 adapters, set from the documented environment variables. */
@Configuration(proxyBeanMethods = false)
class PipelineConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    RedisConnector redisConnector(Environment environment) {
        return new RedisConnector(RedisSettings.fromEnvironment(environment::getProperty));
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

    @Bean
    ProjectStore projectStore(RedisConnector redis) {
        return new ProjectStore(redis);
    }
}
