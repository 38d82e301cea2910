package dev.deploypipeline.upload.notifications;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * A real HTTP receiver on loopback (the JDK's server) standing in for a webhook, Slack or GitHub's API: it keeps
 * every request it gets, and answers each path as the test says (200 by default).
 */
final class Receiver implements AutoCloseable {

    /** One request as it came. */
    record Request(String path, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** How a path answers. */
    @FunctionalInterface
    interface Answer {
        void answer(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "receiver");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Request> received = new CopyOnWriteArrayList<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    Receiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    void answer(String path, Answer answer) {
        answers.put(path, answer);
    }

    List<Request> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    List<Request> startingWith(String prefix) {
        return received.stream().filter(r -> r.path().startsWith(prefix)).toList();
    }

    static Answer status(int status) {
        return status(status, Map.of());
    }

    static Answer status(int status, Map<String, String> headers) {
        return exchange -> {
            headers.forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        };
    }

    static Answer redirectTo(String location) {
        return exchange -> {
            exchange.getResponseHeaders().set("Location", location);
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        };
    }

    /** Answers nothing for this long: a receiver that hangs. */
    static Answer silentFor(Duration duration) {
        return exchange -> {
            Thread.sleep(duration.toMillis());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        };
    }

    /** 200, then a body that never ends, a megabyte after another, until the client goes. */
    static Answer endlessBody() {
        return exchange -> {
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = "x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
            try (OutputStream out = exchange.getResponseBody()) {
                while (true) {
                    out.write(chunk);
                }
            } catch (IOException gone) {
                exchange.close();
            }
        };
    }

    /** 200, then a body of a byte a second, forever: within every socket timeout, never done. */
    static Answer drip() {
        return exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                while (true) {
                    out.write('.');
                    out.flush();
                    Thread.sleep(Duration.ofMillis(300).toMillis());
                }
            } catch (IOException gone) {
                exchange.close();
            }
        };
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream()
                .collect(Collectors.toMap(
                        e -> e.getKey().toLowerCase(Locale.ROOT), e -> String.join(",", e.getValue()), (a, b) -> a));
        String path = exchange.getRequestURI().getPath();
        received.add(new Request(path, headers, body));
        try {
            answers.getOrDefault(path, status(200)).answer(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
