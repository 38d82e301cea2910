package dev.deploypipeline.upload;

import dev.deploypipeline.autoconfigure.BaseDomain;
import dev.deploypipeline.autoconfigure.SourceSizeLimit;
import dev.deploypipeline.network.HostResolver;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What upload-service adds to the pipeline's auto-configuration (Redis, S3, the stores, retries): the settings it
 * shares with another service ({@code BASE_DOMAIN} with request-handler, {@code FETCH_MAX_SIZE} with
 * deploy-service) and how it resolves the hosts of repository URLs.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({BaseDomain.class, SourceSizeLimit.class})
class UploadConfiguration {

    @Bean
    HostResolver hostResolver() {
        return HostResolver.SYSTEM;
    }
}
