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

    /**
     * Whether a host is {@code *.{BASE_DOMAIN}}, where only sites answer, whether or not its label names one: the
     * operator's hosts (the bare domain, an IP, another domain) are the rest.
     */
    public boolean isUnderBaseDomain(String host) {
        return host != null && name(host).endsWith(suffix);
    }

    /** The site's label, or empty for a host that names no site (a host not under the domain, a label no site has). */
    public Optional<String> siteLabel(String host) {
        if (!isUnderBaseDomain(host)) {
            return Optional.empty();
        }
        String name = name(host);
        String label = name.substring(0, name.length() - suffix.length());
        return DeploymentId.isValid(label) || ProjectName.isValid(label) ? Optional.of(label) : Optional.empty();
    }

    private static String name(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        while (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }
}
