package dev.deploypipeline.upload.git;

import java.net.InetAddress;
import java.net.URL;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Which repositories the service fetches: https URLs of hosts on public addresses, plus the hosts of
 * {@code GIT_ALLOWED_HOSTS} (also over http, on any address). {@link #check} refuses a URL before any
 * connection; {@link #checkConnection} is asked again for every connection the fetch opens (redirects
 * included), and {@link #resolvePublic} for the addresses actually connected to.
 */
@Component
public class RepositoryUrlPolicy {

    // Dotted labels of decimal or 0x-hex numbers: the shapes resolvers read as an IPv4 address.
    private static final Pattern NUMERIC_HOST = Pattern.compile(
            "(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*\\.?");
    private static final Pattern DOTTED_QUAD = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}"
            + "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");

    private final List<AllowedHost> allowedHosts;
    private final boolean allowCredentials;
    private final HostResolver resolver;

    public RepositoryUrlPolicy(GitSettings settings, HostResolver resolver) {
        this.allowedHosts = settings.allowedHosts().stream()
                .filter(entry -> !entry.isBlank())
                .map(AllowedHost::parse)
                .toList();
        this.allowCredentials = settings.allowCredentials();
        this.resolver = resolver;
    }

    /** The URL, parsed, when the service may fetch it; otherwise a 400 that says why. */
    public RepositoryUrl check(String value) {
        RepositoryUrl url = RepositoryUrl.parse(value);
        if (url.hasCredentials() && !allowCredentials) {
            throw new InvalidRepositoryUrlException("repoUrl must not carry credentials (GIT_ALLOW_CREDENTIALS is off)");
        }
        if (isAllowed(url.host(), url.port())) {
            return url;
        }
        if (!url.isHttps()) {
            throw new InvalidRepositoryUrlException("plain http:// is only fetched from GIT_ALLOWED_HOSTS; use https://");
        }
        try {
            resolvePublic(url.host());
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
        String host = RepositoryUrl.normalizeHost(url.getHost());
        int port = url.getPort() != -1 ? url.getPort() : url.getDefaultPort();
        if (isAllowed(host, port)) {
            return true;
        }
        if (!scheme.equals("https")) {
            throw new RefusedHostException("refused plain http to " + host + ", which is not in GIT_ALLOWED_HOSTS");
        }
        checkHostForm(host);
        return false;
    }

    /** The addresses of a host of {@code GIT_ALLOWED_HOSTS}, as the resolver answers. */
    List<InetAddress> resolveAllowed(String host) throws UnknownHostException {
        return resolver.resolve(RepositoryUrl.normalizeHost(host));
    }

    /**
     * The addresses of any other host, when every one of them is public. The caller connects to exactly
     * these, so a DNS answer that changes after the check (rebinding) is never used unchecked.
     */
    List<InetAddress> resolvePublic(String host) throws RefusedHostException {
        String normalized = RepositoryUrl.normalizeHost(host);
        checkHostForm(normalized);
        boolean literal = isLiteral(normalized);
        List<InetAddress> addresses = addressesOf(normalized, literal);
        for (InetAddress address : addresses) {
            Optional<String> kind = AddressClassifier.nonPublicKind(address);
            if (kind.isPresent()) {
                throw new RefusedHostException(literal
                        ? "host " + normalized + " is " + kind.get() + " address"
                        : "host " + normalized + " resolves to " + address.getHostAddress() + ", " + kind.get() + " address");
            }
        }
        return addresses;
    }

    private static boolean isLiteral(String host) {
        return host.contains(":") || DOTTED_QUAD.matcher(host).matches();
    }

    private List<InetAddress> addressesOf(String host, boolean literal) throws RefusedHostException {
        try {
            if (literal) {
                return List.of(InetAddress.getByName(host)); // a literal: no lookup
            }
            List<InetAddress> addresses = resolver.resolve(host);
            if (addresses.isEmpty()) {
                throw new UnknownHostException(host);
            }
            return addresses;
        } catch (UnknownHostException e) {
            throw new RefusedHostException("host " + host + " could not be resolved");
        }
    }

    /** Numbers other than a plain a.b.c.d ({@code 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1}) are refused. */
    private static void checkHostForm(String host) throws RefusedHostException {
        if (NUMERIC_HOST.matcher(host).matches() && !DOTTED_QUAD.matcher(host).matches()) {
            throw new RefusedHostException("host " + host + " is a numeric address in an unusual form; write it as a.b.c.d");
        }
    }

    private boolean isAllowed(String host, int port) {
        return allowedHosts.stream().anyMatch(allowed -> allowed.matches(host, port));
    }

    /** One {@code GIT_ALLOWED_HOSTS} entry: a host, on any port or on one. */
    record AllowedHost(String host, int port) {

        static AllowedHost parse(String entry) {
            String trimmed = entry.trim();
            int colon = trimmed.lastIndexOf(':');
            boolean hasPort = colon > 0 && trimmed.indexOf(':') == colon
                    || trimmed.startsWith("[") && trimmed.contains("]:");
            if (!hasPort) {
                return new AllowedHost(RepositoryUrl.normalizeHost(trimmed), -1);
            }
            return new AllowedHost(RepositoryUrl.normalizeHost(trimmed.substring(0, colon)),
                    Integer.parseInt(trimmed.substring(colon + 1)));
        }

        boolean matches(String candidate, int candidatePort) {
            return host.equals(candidate) && (port == -1 || port == candidatePort);
        }
    }
}
