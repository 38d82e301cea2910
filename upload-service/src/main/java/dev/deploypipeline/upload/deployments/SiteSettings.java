package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.deployment.DeploymentId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where deployed sites are opened ({@code SITE_URL_PATTERN}, built from {@code BASE_DOMAIN} by default);
 * {@code {id}} stands for the deployment id.
 */
@ConfigurationProperties("site")
public record SiteSettings(@DefaultValue("http://{id}.localhost:3001/") String urlPattern) {

    String urlOf(DeploymentId id) {
        return urlPattern.replace("{id}", id.value());
    }
}
