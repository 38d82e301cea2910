package dev.deploypipeline.deploy.egress;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a client asks of the gate: a tunnel ({@code CONNECT host:port}), or one plain HTTP request in absolute
 * form, which goes on in origin form with {@code Connection: close} as {@code preamble}.
 */
record ProxyRequest(Destination destination, boolean tunnel, ByteBuffer preamble) {

    private static final String HTTP = "http://";
    private static final OptionalInt HTTP_PORT = OptionalInt.of(80);

    static ProxyRequest of(RequestHead head) throws MalformedRequestException {
        if (head.method().equals("CONNECT")) {
            return new ProxyRequest(destination(head.target(), OptionalInt.empty()), true, ByteBuffer.allocate(0));
        }
        String target = head.target();
        if (!target.regionMatches(true, 0, HTTP, 0, HTTP.length())) {
            throw new MalformedRequestException(
                    target.regionMatches(true, 0, "https://", 0, 8)
                            ? "https URLs go through a CONNECT tunnel: use this proxy as HTTPS_PROXY"
                            : "this is a proxy: ask for an absolute http:// URL, or CONNECT host:port");
        }
        int pathStart = indexOfAny(target, HTTP.length(), "/?#");
        String authority = target.substring(HTTP.length(), pathStart);
        // Credentials in the URL go no further (clients send them as an Authorization header themselves).
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        String path = target.substring(pathStart, indexOfAny(target, pathStart, "#"));
        path = path.isEmpty() || path.startsWith("?") ? "/" + path : path;
        return new ProxyRequest(destination(authority, HTTP_PORT), false, originForm(head, path, authority));
    }

    /** The same request, with the bytes the client sent after its head going upstream after the preamble. */
    ProxyRequest followedBy(ByteBuffer rest) {
        ByteBuffer joined = ByteBuffer.allocate(preamble.remaining() + rest.remaining());
        return new ProxyRequest(
                destination,
                tunnel,
                joined.put(preamble.duplicate()).put(rest.duplicate()).flip());
    }

    private static Destination destination(String authority, OptionalInt defaultPort) throws MalformedRequestException {
        try {
            return Destination.parse(authority, defaultPort);
        } catch (IllegalArgumentException e) {
            throw new MalformedRequestException(e.getMessage());
        }
    }

    /** The head the origin gets: its own Host, no proxy or hop-by-hop headers, and one request per connection. */
    private static ByteBuffer originForm(RequestHead head, String path, String authority) {
        Set<String> dropped = head.headers().stream()
                .filter(header -> header.name().equalsIgnoreCase("Connection"))
                .flatMap(header -> Arrays.stream(header.value().split(",")))
                .map(name -> name.strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        dropped.addAll(Set.of("host", "connection", "keep-alive"));
        StringBuilder text = new StringBuilder()
                .append(head.method())
                .append(' ')
                .append(path)
                .append(' ')
                .append(head.version())
                .append("\r\n")
                .append("Host: ")
                .append(authority)
                .append("\r\n");
        for (RequestHead.Header header : head.headers()) {
            String name = header.name().toLowerCase(Locale.ROOT);
            if (!dropped.contains(name) && !name.startsWith("proxy-")) {
                text.append(header.name()).append(": ").append(header.value()).append("\r\n");
            }
        }
        text.append("Connection: close\r\n\r\n");
        return ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static int indexOfAny(String text, int from, String characters) {
        for (int i = from; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }
}
