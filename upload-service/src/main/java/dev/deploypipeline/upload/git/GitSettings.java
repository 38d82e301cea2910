package dev.deploypipeline.upload.git;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which repositories may be fetched ({@code GIT_ALLOWED_HOSTS}, {@code GIT_ALLOW_CREDENTIALS}).
 *
 * @param allowedHosts {@code host} or {@code host:port} entries fetched even on loopback or private
 *     addresses, and also over plain http: internal git servers, and the tests' loopback server
 * @param allowCredentials whether a repository URL may carry {@code user:password@}; they are used for the
 *     fetch only and never stored or shown
 */
@ConfigurationProperties("git")
public record GitSettings(
        @DefaultValue List<String> allowedHosts,
        @DefaultValue("false") boolean allowCredentials) {

    public GitSettings {
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    }
}
