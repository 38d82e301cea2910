package dev.deploypipeline.deploy.egress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A client of a gateway's Unix socket, as the relay is: it writes requests and reads responses, one thread. */
final class GateClient implements AutoCloseable {

    /** A response: its status, its headers (names in lower case) and its body, as far as it was read. */
    record Response(int status, Map<String, String> headers, String body) {}

    private final SocketChannel channel;
    private final ByteArrayOutputStream unread = new ByteArrayOutputStream();

    private GateClient(SocketChannel channel) {
        this.channel = channel;
    }

    static GateClient connect(Path socket) throws IOException {
        return new GateClient(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
    }

    static Response ask(Path socket, String request) throws IOException {
        try (GateClient client = connect(socket)) {
            return client.send(request).response();
        }
    }

    /** The gateway's answers to a {@code CONNECT} to each authority, each on a connection of its own. */
    static List<Response> connectEach(Path socket, String... authorities) throws IOException {
        List<Response> responses = new ArrayList<>();
        for (String authority : authorities) {
            try (GateClient client = connect(socket)) {
                responses.add(client.connectTo(authority).response());
            }
        }
        return responses;
    }

    GateClient send(String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        return this;
    }

    GateClient connectTo(String authority) throws IOException {
        send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
        return this;
    }

    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    /** The next response: its head, then a body of Content-Length bytes, or up to the end without one. */
    Response response() throws IOException {
        String head = readUntil("\r\n\r\n");
        String[] lines = head.split("\r\n");
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(
                    lines[i].substring(0, colon).toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).strip());
        }
        String length = headers.get("content-length");
        String body = length == null
                ? (lines[0].contains(" 200 Connection") ? "" : readToEnd())
                : readBytes(Integer.parseInt(length));
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
    }

    /** Everything until the gateway closes its sending half. */
    String readToEnd() throws IOException {
        while (fill()) {
            // reading on
        }
        return take(unread.size());
    }

    private String readUntil(String end) throws IOException {
        while (unread.toString(StandardCharsets.ISO_8859_1).indexOf(end) < 0) {
            if (!fill()) {
                throw new IOException("the connection ended before " + end.replace("\r\n", "CRLF") + ": "
                        + unread.toString(StandardCharsets.ISO_8859_1));
            }
        }
        return take(unread.toString(StandardCharsets.ISO_8859_1).indexOf(end) + end.length());
    }

    private String readBytes(int count) throws IOException {
        while (unread.size() < count) {
            if (!fill()) {
                throw new IOException("the connection ended after " + unread.size() + " of " + count + " bytes");
            }
        }
        return take(count);
    }

    private boolean fill() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        int read = channel.read(buffer);
        unread.write(buffer.array(), 0, Math.max(read, 0));
        return read >= 0;
    }

    private String take(int count) {
        byte[] bytes = unread.toByteArray();
        unread.reset();
        unread.write(bytes, count, bytes.length - count);
        return new String(bytes, 0, count, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
