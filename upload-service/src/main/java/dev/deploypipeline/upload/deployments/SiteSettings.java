package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.project.ProjectName;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where deployed sites are opened ({@code SITE_URL_PATTERN}, built from {@code BASE_DOMAIN} by default);
 * {@code {id}} stands for the deployment id, or for a project's name in its site's address.
 */
@ConfigurationProperties("site")
public record SiteSettings(@DefaultValue("http://{id}.localhost:3001/") String urlPattern) {

    String urlOf(DeploymentId id) {
        return urlPattern.replace("{id}", id.value());
    }

    /** A project's site: the same pattern, with the project's name for the id. */
    public String urlOf(ProjectName project) {
        return urlPattern.replace("{id}", project.value());
    }
}
