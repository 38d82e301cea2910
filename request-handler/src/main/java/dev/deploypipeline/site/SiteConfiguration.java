package dev.deploypipeline.site;

import dev.deploypipeline.autoconfigure.BaseDomain;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * What request-handler adds to the pipeline's auto-configuration (Redis, S3, the stores): {@code BASE_DOMAIN},
 * which it shares with upload-service.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BaseDomain.class)
class SiteConfiguration {}
