package dev.deploypipeline.site;

import dev.deploypipeline.autoconfigure.AwsProperties;
import dev.deploypipeline.autoconfigure.BaseDomain;
import dev.deploypipeline.autoconfigure.S3Properties;
import dev.deploypipeline.storage.S3Settings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.autoconfigure.TomcatServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What request-handler adds to the pipeline's auto-configuration (Redis, S3, the stores): {@code BASE_DOMAIN},
 * which it shares with upload-service, and S3 connections sized for its serving threads.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BaseDomain.class)
class SiteConfiguration {

    /**
     * One S3 connection per serving thread, which holds at most one at a time: a client that reads a large file
     * slowly keeps its own thread and connection, and no other site's request ever waits for one. The pipeline's
     * default, twice {@code S3_PARALLELISM}, suits services that transfer, not one that serves.
     */
    @Bean
    S3Settings s3Settings(S3Properties s3, AwsProperties aws, TomcatServerProperties tomcat) {
        return new S3Settings(
                s3.endpoint(),
                s3.bucket(),
                aws.region(),
                s3.parallelism(),
                tomcat.getThreads().getMax());
    }
}
