package dev.deploypipeline.upload.deployments;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter.SseEventBuilder;

/**
 * One server-sent event as the bytes that go out, encoded once however many clients it goes to: a line of a
 * flooded log is held once, not once per follower, and what waits for a client is counted in bytes.
 */
final class SseMessage {

    private final Set<DataWithMediaType> parts;
    private final int size;

    private SseMessage(byte[] bytes) {
        this.parts = Set.of(new DataWithMediaType(bytes, MediaType.TEXT_PLAIN));
        this.size = bytes.length;
    }

    /** The event Spring's builder frames ({@code id:}, {@code data:} per line…); its data must be text. */
    static SseMessage of(SseEventBuilder event) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (DataWithMediaType part : event.build()) {
            if (!(part.getData() instanceof CharSequence text)) {
                throw new IllegalArgumentException("an event's data is sent as text, not " + part.getData());
            }
            bytes.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        return new SseMessage(bytes.toByteArray());
    }

    /** What {@link org.springframework.web.servlet.mvc.method.annotation.SseEmitter#send(Set)} writes. */
    Set<DataWithMediaType> parts() {
        return parts;
    }

    /** Its bytes, as sent. */
    int size() {
        return size;
    }
}
