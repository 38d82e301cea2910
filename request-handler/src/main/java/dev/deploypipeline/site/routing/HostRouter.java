package dev.deploypipeline.site.routing;

import dev.deploypipeline.autoconfigure.BaseDomain;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.project.ProjectName;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Tells which site a host name asks for: {@code {label}.{BASE_DOMAIN}}, where the label is a deployment id
 * or a project's name. Case does not matter, nor does a trailing dot; the port is not part of the name.
 */
@Component
public class HostRouter {

    private final String suffix;

    public HostRouter(BaseDomain baseDomain) {
        this.suffix = "." + baseDomain.domain();
    }

    /** The site's label, or empty for a host that names no site (the bare domain, an IP, another domain). */
    public Optional<String> siteLabel(String host) {
        if (host == null) {
            return Optional.empty();
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (!name.endsWith(suffix)) {
            return Optional.empty();
        }
        String label = name.substring(0, name.length() - suffix.length());
        return DeploymentId.isValid(label) || ProjectName.isValid(label) ? Optional.of(label) : Optional.empty();
    }
}
