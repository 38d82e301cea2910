package dev.deploypipeline.redis;

import java.util.List;

/** A node of {@link RedisTopology}: {@code host:port}, {@code [::1]:port} for an IPv6 address. */
record HostAndPort(String host, int port) {

    static HostAndPort parse(String node) {
        String entry = node.strip();
        int colon = entry.lastIndexOf(':');
        if (colon <= 0 || colon == entry.length() - 1) {
            throw new IllegalArgumentException("a Redis node must be host:port: " + node);
        }
        String host = entry.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(entry.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a Redis node's port must be a number: " + node, e);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("a Redis node's port must be 1 to 65535: " + node);
        }
        return new HostAndPort(host, port);
    }

    /** The entries, stripped and each checked, at least one; {@code setting} names them in the error. */
    static List<String> checked(List<String> nodes, String setting) {
        List<String> stripped = nodes == null
                ? List.of()
                : nodes.stream()
                        .map(String::strip)
                        .filter(node -> !node.isEmpty())
                        .toList();
        if (stripped.isEmpty()) {
            throw new IllegalArgumentException(setting + " must name at least one host:port");
        }
        stripped.forEach(HostAndPort::parse);
        return stripped;
    }
}
