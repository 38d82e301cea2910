package dev.deploypipeline.upload.git;

import dev.deploypipeline.network.AddressPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A repository URL as given, split into what is fetched ({@link #withoutCredentials()}), the credentials
 * (kept only in memory, never stored or logged) and the form that is safe to show. Parsing checks the
 * shape only: whether the service may fetch it is {@link RepositoryUrlPolicy}'s decision.
 */
public record RepositoryUrl(URI uri, String username, String password) {

    private static final int MAX_LENGTH = 2048;
    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):");
    private static final Pattern WHITESPACE_OR_CONTROL = Pattern.compile("[\\s\\p{Cntrl}]");

    public static RepositoryUrl parse(String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRepositoryUrlException("repoUrl is required");
        }
        String trimmed = value.trim();
        if (trimmed.startsWith("-")) {
            throw new InvalidRepositoryUrlException("repoUrl must not start with '-'");
        }
        if (trimmed.length() > MAX_LENGTH) {
            throw new InvalidRepositoryUrlException("repoUrl is longer than " + MAX_LENGTH + " characters");
        }
        if (WHITESPACE_OR_CONTROL.matcher(trimmed).find()) {
            throw new InvalidRepositoryUrlException("repoUrl must not contain spaces or control characters");
        }
        String scheme = scheme(trimmed);
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new InvalidRepositoryUrlException("repoUrl is not a URL: " + e.getReason());
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new InvalidRepositoryUrlException("repoUrl has no valid host name");
        }
        if (uri.getHost().contains("%")) {
            throw new InvalidRepositoryUrlException("repoUrl must not name a network interface (%zone)");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new InvalidRepositoryUrlException("repoUrl has an invalid port");
        }
        String username = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getUserInfo().split(":", 2);
            username = parts[0];
            password = parts.length > 1 ? parts[1] : "";
        }
        try {
            URI bare = new URI(scheme, null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), null);
            return new RepositoryUrl(bare, username, password);
        } catch (URISyntaxException e) {
            throw new InvalidRepositoryUrlException("repoUrl is not a URL: " + e.getReason());
        }
    }

    /** {@code http} or {@code https}, lower case; every other way git can reach a repository is refused. */
    private static String scheme(String value) {
        Matcher matcher = SCHEME.matcher(value);
        if (!matcher.find()) {
            throw new InvalidRepositoryUrlException(
                    value.contains(":")
                            ? "scp-like host:path addresses are refused; use an https:// URL"
                            : "repoUrl must be an https:// URL");
        }
        String scheme = matcher.group(1).toLowerCase(Locale.ROOT);
        String rest = value.substring(matcher.end() - 1);
        if (rest.startsWith("::")) {
            throw new InvalidRepositoryUrlException(
                    "git transport helpers (" + scheme + "::) are refused; use an https:// URL");
        }
        if (scheme.equals("https") || scheme.equals("http")) {
            if (!rest.startsWith("://")) {
                throw new InvalidRepositoryUrlException("repoUrl must be an https:// URL");
            }
            return scheme;
        }
        if (scheme.contains(".")) {
            throw new InvalidRepositoryUrlException("scp-like host:path addresses are refused; use an https:// URL");
        }
        throw new InvalidRepositoryUrlException("the " + scheme + ": scheme is refused; use an https:// URL");
    }

    public boolean hasCredentials() {
        return username != null;
    }

    public boolean isHttps() {
        return "https".equals(uri.getScheme());
    }

    /** The host in lower case, without IPv6 brackets or a trailing dot. */
    public String host() {
        return AddressPolicy.normalizeHost(uri.getHost());
    }

    /** The port connected to: the URL's own, or the scheme's default. */
    public int port() {
        return uri.getPort() != -1 ? uri.getPort() : isHttps() ? 443 : 80;
    }

    /** The URL to fetch and to show: it never carries the credentials. */
    public String withoutCredentials() {
        return uri.toString();
    }

    @Override
    public String toString() {
        return withoutCredentials();
    }
}
