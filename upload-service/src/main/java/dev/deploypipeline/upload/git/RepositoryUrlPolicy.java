package dev.deploypipeline.upload.git;

import dev.deploypipeline.network.AddressPolicy;
import dev.deploypipeline.network.HostResolver;
import dev.deploypipeline.network.RefusedHostException;
import java.net.InetAddress;
import java.net.URL;
import java.net.UnknownHostException;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Which repositories the service fetches: https URLs of hosts on public addresses, plus the hosts of
 * {@code GIT_ALLOWED_HOSTS} (also over http, on any address). {@link #check} refuses a URL before any
 * connection; {@link #checkConnection} is asked again for every connection the fetch opens (redirects
 * included), and {@link #resolvePublic} for the addresses actually connected to.
 */
@Component
public class RepositoryUrlPolicy {

    private final AddressPolicy addresses;
    private final boolean allowCredentials;

    public RepositoryUrlPolicy(GitSettings settings, HostResolver resolver) {
        this.addresses = new AddressPolicy(settings.allowedHosts(), resolver);
        this.allowCredentials = settings.allowCredentials();
    }

    /** The URL, parsed, when the service may fetch it; otherwise a 400 that says why. */
    public RepositoryUrl check(String value) {
        RepositoryUrl url = RepositoryUrl.parse(value);
        if (url.hasCredentials() && !allowCredentials) {
            throw new InvalidRepositoryUrlException(
                    "repoUrl must not carry credentials (GIT_ALLOW_CREDENTIALS is off)");
        }
        if (addresses.isAllowed(url.host(), url.port())) {
            return url;
        }
        if (!url.isHttps()) {
            throw new InvalidRepositoryUrlException(
                    "plain http:// is only fetched from GIT_ALLOWED_HOSTS; use https://");
        }
        try {
            addresses.resolvePublic(url.host());
        } catch (RefusedHostException e) {
            throw new InvalidRepositoryUrlException("repoUrl refused: " + e.getMessage());
        }
        return url;
    }

    /**
     * Before each connection of a fetch, redirects included: whether the scheme, host and port may be
     * connected to. True when they are in {@code GIT_ALLOWED_HOSTS}, so any address will do; false when the
     * connection must go through {@link #resolvePublic}.
     */
    boolean checkConnection(URL url) throws RefusedHostException {
        String scheme = url.getProtocol();
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new RefusedHostException("refused to connect over " + scheme + ":");
        }
        if (url.getUserInfo() != null) {
            throw new RefusedHostException("refused a URL with credentials in it (a redirect?)");
        }
        String host = AddressPolicy.normalizeHost(url.getHost());
        int port = url.getPort() != -1 ? url.getPort() : url.getDefaultPort();
        if (addresses.isAllowed(host, port)) {
            return true;
        }
        if (!scheme.equals("https")) {
            throw new RefusedHostException("refused plain http to " + host + ", which is not in GIT_ALLOWED_HOSTS");
        }
        AddressPolicy.checkHostForm(host);
        return false;
    }

    /** The addresses of a host of {@code GIT_ALLOWED_HOSTS}, as the resolver answers. */
    List<InetAddress> resolveAllowed(String host) throws UnknownHostException {
        return addresses.resolveAllowed(host);
    }

    /**
     * The addresses of any other host, when every one of them is public. The caller connects to exactly
     * these, so a DNS answer that changes after the check (rebinding) is never used unchecked.
     */
    List<InetAddress> resolvePublic(String host) throws RefusedHostException {
        return addresses.resolvePublic(host);
    }
}
