package dev.deploypipeline.deploy;

import dev.deploypipeline.autoconfigure.SourceSizeLimit;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What deploy-service adds to the pipeline's auto-configuration (Redis, S3, the stores, retries):
 * {@code FETCH_MAX_SIZE}, which it shares with upload-service, and what its workers are held to.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SourceSizeLimit.class)
class DeployConfiguration {

    @Bean
    DeploySettings deploySettings(ReplicaSettings replica, BuildTimeLimit build, SourceSizeLimit sources) {
        return new DeploySettings(
                replica.workers(),
                build.timeout(),
                replica.workDir(),
                replica.replicaName(),
                replica.shutdownGrace(),
                sources.maxSize());
    }
}
