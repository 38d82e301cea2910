package dev.deploypipeline.deploy.egress;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The gate's own responses to a client: a tunnel's opening, or why there is none, as a short text. */
enum Answer {
    CONNECTION_ESTABLISHED(200, "Connection established"),
    BAD_REQUEST(400, "Bad Request"),
    FORBIDDEN(403, "Forbidden"),
    BAD_GATEWAY(502, "Bad Gateway"),
    SERVICE_UNAVAILABLE(503, "Service Unavailable");

    private final int status;
    private final String reason;

    Answer(int status, String reason) {
        this.status = status;
        this.reason = reason;
    }

    /** The status line and an empty head: how a tunnel opens. */
    ByteBuffer bytes() {
        return ByteBuffer.wrap(statusLine().concat("\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A complete response whose body is {@code explanation}; the connection closes after it. */
    ByteBuffer bytes(String explanation) {
        byte[] body = (explanation + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] head = (statusLine() + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocate(head.length + body.length)
                .put(head)
                .put(body)
                .flip();
    }

    private String statusLine() {
        return "HTTP/1.1 " + status + " " + reason + "\r\n";
    }
}
