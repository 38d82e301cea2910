package dev.deploypipeline.upload;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real webhook receiver on loopback (the JDK's server): it keeps every notice it gets and answers 200. */
final class Notices implements AutoCloseable {

    record Notice(String path, String event, String signature, String body) {}

    private final HttpServer server;
    private final List<Notice> received = new CopyOnWriteArrayList<>();

    Notices() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(new Notice(
                exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("X-Deploy-Event"),
                exchange.getRequestHeaders().getFirst("X-Deploy-Signature"),
                body));
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    List<Notice> at(String path) {
        return received.stream().filter(notice -> notice.path().equals(path)).toList();
    }

    /** The events told at {@code path} about deployment {@code id}, in the order they came. */
    List<String> of(String path, String id) {
        return at(path).stream()
                .filter(notice -> notice.body().contains("\"" + id + "\""))
                .map(Notice::event)
                .toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
