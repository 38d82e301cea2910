package dev.deploypipeline.autoconfigure;

import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The domain sites are served under ({@code BASE_DOMAIN}), read by request-handler, which serves them, and by
 * upload-service, which shows their addresses. Not auto-configured: a service that needs it enables it.
 *
 * @param domain sites answer at {@code {id}.{domain}} and {@code {project}.{domain}}, in any case and on any port
 */
@ConfigurationProperties("base")
public record BaseDomain(@DefaultValue("localhost") String domain) {

    public BaseDomain {
        String normalized = domain == null ? "" : domain.strip().toLowerCase(Locale.ROOT);
        while (normalized.startsWith(".")) {
            normalized = normalized.substring(1);
        }
        while (normalized.endsWith(".")) {
            normalized = normalized.substring(0, normalized.length() - 1);
        }
        if (normalized.isEmpty()) {
            throw new IllegalArgumentException("BASE_DOMAIN must name a domain: '" + domain + "'");
        }
        domain = normalized;
    }
}
