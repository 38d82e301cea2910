package dev.deploypipeline.upload.notifications;

import dev.deploypipeline.network.AddressPolicy;
import dev.deploypipeline.network.HostResolver;
import dev.deploypipeline.network.RefusedHostException;
import dev.deploypipeline.upload.problems.InvalidRequestException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Which URLs notices may go to: the git fetch's address policy with {@code NOTIFY_ALLOWED_HOSTS} as its
 * allowlist. https to hosts whose every address is public, plus the allowlisted hosts (also over http, on any
 * address). {@link #check} refuses a target's URL when it is added; {@link #isAllowed} and {@link #resolvePublic}
 * are asked again for every send, and a send connects to exactly the addresses they returned.
 */
@Component
class NotificationAddresses {

    private final AddressPolicy policy;

    NotificationAddresses(NotifySettings settings, HostResolver resolver) {
        this.policy = new AddressPolicy(settings.allowedHosts(), resolver);
    }

    /** The URL, when notices may be sent there; otherwise a 400 that says why. */
    URI check(String value, String field) {
        URI url = parse(value, field);
        try {
            checkConnection(url);
            if (!isAllowed(url)) {
                policy.resolvePublic(url.getHost());
            }
        } catch (RefusedHostException e) {
            throw new InvalidRequestException(field + " refused: " + e.getMessage());
        }
        return url;
    }

    /**
     * Before each send: whether the URL's scheme, host and port may be connected to. True for a host of {@code
     * NOTIFY_ALLOWED_HOSTS}, which may be on any address; false when the send must resolve through {@link
     * #resolvePublic}.
     */
    boolean checkConnection(URI url) throws RefusedHostException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new RefusedHostException("only https:// (or http:// to NOTIFY_ALLOWED_HOSTS) is notified");
        }
        if (url.getRawUserInfo() != null) {
            throw new RefusedHostException("a URL with credentials in it is refused");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new RefusedHostException("the URL names no host");
        }
        if (url.getPort() != -1 && (url.getPort() < 1 || url.getPort() > 65535)) {
            throw new RefusedHostException("port " + url.getPort() + " is not a TCP port (1 to 65535)");
        }
        boolean allowed = isAllowed(url);
        if (!allowed && !scheme.equals("https")) {
            throw new RefusedHostException("plain http is only sent to NOTIFY_ALLOWED_HOSTS; use https://");
        }
        AddressPolicy.checkHostForm(AddressPolicy.normalizeHost(url.getHost()));
        return allowed;
    }

    boolean isAllowed(URI url) {
        return policy.isAllowed(url.getHost(), port(url));
    }

    List<InetAddress> resolveAllowed(String host) throws UnknownHostException {
        return policy.resolveAllowed(host);
    }

    List<InetAddress> resolvePublic(String host) throws RefusedHostException {
        return policy.resolvePublic(host);
    }

    static int port(URI url) {
        if (url.getPort() != -1) {
            return url.getPort();
        }
        return "http".equalsIgnoreCase(url.getScheme()) ? 80 : 443;
    }

    private static URI parse(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field + " is required");
        }
        if (value.length() > 2048) {
            throw new InvalidRequestException(field + " is longer than 2048 characters");
        }
        try {
            URI url = new URI(value.trim());
            if (!url.isAbsolute() || url.isOpaque()) {
                throw new InvalidRequestException(field + " must be an absolute https:// URL");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new InvalidRequestException(field + " is not a URL: " + e.getReason());
        }
    }
}
