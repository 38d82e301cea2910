package dev.deploypipeline.deploy.egress;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An HTTP server on 127.0.0.1 that answers {@code hello from <path>} and keeps what it was asked; registered as
 * an extension, it runs for one test.
 */
final class OriginServer implements AfterEachCallback {

    /** A request as it arrived: its method, its target and its headers. */
    record Received(String method, String target, Headers headers) {}

    private final HttpServer server;
    private final Queue<Received> received = new ConcurrentLinkedQueue<>();

    OriginServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.add(new Received(
                    exchange.getRequestMethod(), exchange.getRequestURI().toString(), exchange.getRequestHeaders()));
            byte[] body = ("hello from " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** {@code 127.0.0.1:<port>}: how a test allowlists it and asks for it. */
    String authority() {
        return "127.0.0.1:" + port();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        server.stop(0);
    }
}
