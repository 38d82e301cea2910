package dev.deploypipeline.network;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which hosts a connection made for a stranger may reach: any host whose every address is public, plus the
 * operator's allowlist ({@code host} or {@code host:port} entries), which may be on any address. The git
 * fetch and a build's network gate both ask it; each connects to exactly the addresses it returned, so a DNS
 * answer that changes after the check (rebinding) is never used unchecked.
 */
public final class AddressPolicy {

    // Dotted labels of decimal or 0x-hex numbers: the shapes resolvers read as an IPv4 address.
    private static final Pattern NUMERIC_HOST = Pattern.compile("(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*\\.?");
    private static final Pattern DOTTED_QUAD = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}" + "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");

    private final List<AllowedHost> allowedHosts;
    private final HostResolver resolver;

    /** @param allowedHosts {@code host} or {@code host:port} entries; blank ones are skipped */
    public AddressPolicy(Collection<String> allowedHosts, HostResolver resolver) {
        this.allowedHosts = allowedHosts.stream()
                .filter(entry -> entry != null && !entry.isBlank())
                .map(AllowedHost::parse)
                .toList();
        this.resolver = resolver;
    }

    /** Whether the host (on this port) is on the allowlist, and so may be on any address. */
    public boolean isAllowed(String host, int port) {
        String normalized = normalizeHost(host);
        return allowedHosts.stream().anyMatch(allowed -> allowed.matches(normalized, port));
    }

    /** The addresses of an allowlisted host, as the resolver answers. */
    public List<InetAddress> resolveAllowed(String host) throws UnknownHostException {
        return resolver.resolve(normalizeHost(host));
    }

    /** The addresses to connect to for {@code host:port}: any for an allowlisted host, else only public ones. */
    public List<InetAddress> resolve(String host, int port) throws UnknownHostException {
        return isAllowed(host, port) ? resolveAllowed(host) : resolvePublic(host);
    }

    /**
     * The addresses of a host that is not on the allowlist, when every one of them is public; otherwise a
     * {@link RefusedHostException} that says which address is of which kind.
     */
    public List<InetAddress> resolvePublic(String host) throws RefusedHostException {
        String normalized = normalizeHost(host);
        checkHostForm(normalized);
        boolean literal = isLiteral(normalized);
        List<InetAddress> addresses = addressesOf(normalized, literal);
        for (InetAddress address : addresses) {
            Optional<String> kind = AddressClassifier.nonPublicKind(address);
            if (kind.isPresent()) {
                throw new RefusedHostException(
                        literal
                                ? "host " + normalized + " is " + kind.get() + " address"
                                : "host " + normalized + " resolves to " + address.getHostAddress() + ", " + kind.get()
                                        + " address");
            }
        }
        return addresses;
    }

    /** Numbers other than a plain a.b.c.d ({@code 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1}) are refused. */
    public static void checkHostForm(String host) throws RefusedHostException {
        if (NUMERIC_HOST.matcher(host).matches() && !DOTTED_QUAD.matcher(host).matches()) {
            throw new RefusedHostException(
                    "host " + host + " is a numeric address in an unusual form; write it as a.b.c.d");
        }
    }

    /** Lower case, without IPv6 brackets or a trailing dot: the form hosts are compared in. */
    public static String normalizeHost(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.startsWith("[") && lower.endsWith("]")) {
            lower = lower.substring(1, lower.length() - 1);
        }
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
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

    /** One allowlist entry: a host, on any port or on one. */
    record AllowedHost(String host, int port) {

        static AllowedHost parse(String entry) {
            String trimmed = entry.trim();
            int colon = trimmed.lastIndexOf(':');
            boolean hasPort =
                    colon > 0 && trimmed.indexOf(':') == colon || trimmed.startsWith("[") && trimmed.contains("]:");
            if (!hasPort) {
                return new AllowedHost(normalizeHost(trimmed), -1);
            }
            return new AllowedHost(
                    normalizeHost(trimmed.substring(0, colon)), Integer.parseInt(trimmed.substring(colon + 1)));
        }

        boolean matches(String candidate, int candidatePort) {
            return host.equals(candidate) && (port == -1 || port == candidatePort);
        }
    }
}
