package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.autoconfigure.BaseDomain;
import dev.deploypipeline.deployment.DeploymentId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where deployed sites are opened ({@code SITE_URL_PATTERN}).
 *
 * @param urlPattern the {@code url} shown for a deployed site, {@code {id}} replaced by its id and
 *     {@code ${BASE_DOMAIN}} by the domain sites are served under
 */
@ConfigurationProperties("site")
public record SiteSettings(
        @DefaultValue("http://{id}.${BASE_DOMAIN}:3001/") String urlPattern) {

    /**
     * A pattern set in the environment has its {@code ${BASE_DOMAIN}} filled by Spring when that variable is set;
     * the default's, and one of an unset variable, is filled here with {@code BASE_DOMAIN}'s default.
     */
    String urlOf(DeploymentId id, BaseDomain baseDomain) {
        return urlPattern.replace("${BASE_DOMAIN}", baseDomain.domain()).replace("{id}", id.value());
    }
}
