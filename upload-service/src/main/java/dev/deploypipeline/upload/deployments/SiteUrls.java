package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.autoconfigure.BaseDomain;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.project.ProjectName;
import org.springframework.stereotype.Component;

/**
 * The addresses of deployed sites, from {@code SITE_URL_PATTERN}. A pattern set in the environment has its
 * {@code ${BASE_DOMAIN}} filled by Spring when that variable is set; the default's, and one of an unset
 * variable, is filled here with {@code BASE_DOMAIN}'s value.
 */
@Component
public class SiteUrls {

    private final String pattern;

    SiteUrls(SiteSettings settings, BaseDomain baseDomain) {
        this.pattern = settings.urlPattern().replace("${BASE_DOMAIN}", baseDomain.domain());
    }

    /** Where one deployment is served. */
    public String of(DeploymentId id) {
        return at(id.value());
    }

    /** Where a project's site is served. */
    public String of(ProjectName project) {
        return at(project.value());
    }

    private String at(String host) {
        return pattern.replace("{id}", host);
    }
}
