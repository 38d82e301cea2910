package dev.deploypipeline.upload.deployments;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where deployed sites are opened ({@code SITE_URL_PATTERN}); {@link SiteUrls} fills it in.
 *
 * @param urlPattern the {@code url} shown for a deployed site, {@code {id}} replaced by its id (or a project's
 *     name, for the project's site) and {@code ${BASE_DOMAIN}} by the domain sites are served under
 */
@ConfigurationProperties("site")
public record SiteSettings(
        @DefaultValue("http://{id}.${BASE_DOMAIN}:3001/") String urlPattern) {}
