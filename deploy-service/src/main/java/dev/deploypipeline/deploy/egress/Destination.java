package dev.deploypipeline.deploy.egress;

import dev.deploypipeline.network.AddressPolicy;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * A host and port: one a build asked for, or one of the pipeline's own services. The host is kept in the form
 * the policy compares (lower case, IPv6 without brackets, no trailing dot); {@link #ANY_PORT} matches every port.
 */
record Destination(String host, int port) {

    static final int ANY_PORT = -1;

    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    /**
     * Reads {@code host:port} or {@code [v6]:port}; without a port the destination has {@code defaultPort}, and
     * where there is none of those either, the port is required.
     *
     * @throws IllegalArgumentException when it is not a host name or address with an optional port
     */
    static Destination parse(String authority, OptionalInt defaultPort) {
        String host = authority;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            String after = close < 0 ? "" : authority.substring(close + 1);
            if (close < 0 || !after.isEmpty() && !after.startsWith(":")) {
                throw malformed(authority);
            }
            host = authority.substring(0, close + 1);
            port = after.isEmpty() ? null : after.substring(1);
        } else if (authority.indexOf(':') >= 0) {
            int colon = authority.indexOf(':');
            if (authority.indexOf(':', colon + 1) >= 0) {
                throw malformed(authority); // an IPv6 address needs its brackets when a port may follow
            }
            host = authority.substring(0, colon);
            port = authority.substring(colon + 1);
        }
        String normalized = AddressPolicy.normalizeHost(host);
        boolean bracketed = host.startsWith("[");
        if (!(bracketed ? IPV6 : NAME).matcher(normalized).matches() || bracketed && !normalized.contains(":")) {
            throw malformed(authority);
        }
        if (port == null && defaultPort.isEmpty()) {
            throw new IllegalArgumentException("'" + authority + "' has no port");
        }
        if (port != null && !PORT.matcher(port).matches()) {
            throw malformed(authority);
        }
        return new Destination(normalized, port == null ? defaultPort.getAsInt() : Integer.parseInt(port));
    }

    boolean isValidPort() {
        return port >= 1 && port <= 65_535;
    }

    /** Whether this destination (as one of the pipeline's own) covers {@code port}. */
    boolean coversPort(int other) {
        return port == ANY_PORT || port == other;
    }

    @Override
    public String toString() {
        String shown = host.contains(":") ? "[" + host + "]" : host;
        return port == ANY_PORT ? shown : shown + ":" + port;
    }

    private static IllegalArgumentException malformed(String authority) {
        return new IllegalArgumentException("'" + authority + "' is not a host and port");
    }
}
