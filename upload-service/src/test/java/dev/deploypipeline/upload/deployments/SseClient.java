package dev.deploypipeline.upload.deployments;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** A server-sent events client for tests: the events as they arrive, and whether the server ended the stream. */
final class SseClient {

    record Event(String id, String name, String data) {}

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private final CompletableFuture<Void> ended;

    private SseClient(HttpRequest request) {
        this.response = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
        this.ended = response.thenAcceptAsync(answer -> parse(answer.body()));
    }

    /** Goes away, as a client that closes its connection. */
    void close() {
        response.join().body().close();
    }

    static SseClient open(URI uri, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return new SseClient(request.build());
    }

    private void parse(Stream<String> lines) {
        List<String> data = new ArrayList<>();
        String[] idAndName = new String[2];
        lines.forEach(line -> {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    events.add(new Event(
                            idAndName[0], idAndName[1] == null ? "message" : idAndName[1], String.join("\n", data)));
                }
                data.clear();
                idAndName[0] = null;
                idAndName[1] = null;
            } else if (line.startsWith("data:")) {
                data.add(value(line));
            } else if (line.startsWith("id:")) {
                idAndName[0] = value(line);
            } else if (line.startsWith("event:")) {
                idAndName[1] = value(line);
            }
        });
    }

    private static String value(String line) {
        String value = line.substring(line.indexOf(':') + 1);
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    HttpResponse<Stream<String>> response() {
        return response.join();
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    List<String> lines() {
        return events.stream()
                .filter(event -> event.name().equals("message"))
                .map(Event::data)
                .toList();
    }

    boolean ended() {
        return ended.isDone();
    }
}
