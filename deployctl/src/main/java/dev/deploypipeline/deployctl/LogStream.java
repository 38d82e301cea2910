package dev.deploypipeline.deployctl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Follows a build's log ({@code GET /deployments/{id}/logs?follow=true}, server-sent events) until its
 * {@code end} event, handing each line on; when the server closes the stream before that (a follow lasts an hour,
 * a slow reader is let go), it reconnects with {@code Last-Event-ID} and goes on where it was.
 */
final class LogStream {

    private static final int MAX_RECONNECTS = 20;

    private final ApiClient api;
    private final String id;

    LogStream(ApiClient api, String id) {
        this.api = api;
        this.id = id;
    }

    /** Hands on each line as the build prints it; returns the deployment's final state. */
    String follow(Consumer<String> lines) {
        Optional<String> last = Optional.empty();
        for (int attempt = 0; attempt <= MAX_RECONNECTS; attempt++) {
            try (BufferedReader reader =
                    api.stream("deployments/" + ApiClient.encode(id) + "/logs?follow=true", last)) {
                Ending ending = read(reader, lines);
                if (ending.state() != null) {
                    return ending.state();
                }
                last = ending.lastId().isPresent() ? ending.lastId() : last;
            } catch (IOException | UncheckedIOException e) {
                // dropped: reconnect from the last line had
            }
        }
        throw new ApiException(0, "the log of " + id + " kept breaking off; try deployctl logs --follow " + id);
    }

    private record Ending(String state, Optional<String> lastId) {}

    /** Reads events until the stream ends; the state when it was {@code end}. */
    private static Ending read(BufferedReader reader, Consumer<String> lines) throws IOException {
        List<String> data = new ArrayList<>();
        String event = null;
        String eventId = null;
        Optional<String> lastId = Optional.empty();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    String text = String.join("\n", data);
                    if ("end".equals(event)) {
                        return new Ending(text, lastId);
                    }
                    lines.accept(text);
                    lastId = eventId == null ? lastId : Optional.of(eventId);
                }
                data.clear();
                event = null;
                eventId = null;
            } else if (line.startsWith("data:")) {
                data.add(value(line));
            } else if (line.startsWith("event:")) {
                event = value(line);
            } else if (line.startsWith("id:")) {
                eventId = value(line);
            }
        }
        return new Ending(null, lastId);
    }

    private static String value(String line) {
        String value = line.substring(line.indexOf(':') + 1);
        return value.startsWith(" ") ? value.substring(1) : value;
    }
}
