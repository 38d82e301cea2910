package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.repo;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.deploypipeline.testing.PipelineServers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A repository URL's credentials go only to the server it names: its server redirects the fetch to another host
 * (both allowed), which asks to authenticate, and is told nothing.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"git.allow-credentials=true"})
class RedirectCredentialsTest extends RunningApi {

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    /** What the other host was sent in {@code Authorization}, one entry per request ("none" without it). */
    private static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();

    private static final HttpServer ELSEWHERE = elsewhere();
    private static final HttpServer REDIRECTOR =
            redirectingTo(ELSEWHERE.getAddress().getPort());

    RedirectCredentialsTest() {
        super(null);
    }

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(
                registry,
                "127.0.0.1:" + REDIRECTOR.getAddress().getPort(),
                "127.0.0.1:" + ELSEWHERE.getAddress().getPort());
    }

    @AfterAll
    static void stopServers() {
        REDIRECTOR.stop(0);
        ELSEWHERE.stop(0);
    }

    @Test
    void aRedirectToAnotherHostThatAsksToAuthenticateIsGivenNoCredentials() {
        String id = anonymous.deploy(repo("http://deployer:s3cret-token@127.0.0.1:"
                + REDIRECTOR.getAddress().getPort() + "/site"));

        servers.awaitStatus(id, "failed");

        assertThat(AUTHORIZATIONS).as("the redirect was followed").isNotEmpty().containsOnly("none");
        assertThat(servers.redis().hget("deployment:" + id, "error")).doesNotContain("s3cret-token");
    }

    /** A git host that asks every request to authenticate, and notes what it was sent. */
    private static HttpServer elsewhere() {
        return started(exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            AUTHORIZATIONS.add(authorization == null ? "none" : authorization);
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"elsewhere\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
    }

    /** The repository's server: every request is sent on to the same path on {@code port}. */
    private static HttpServer redirectingTo(int port) {
        return started(exchange -> {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + port + exchange.getRequestURI());
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
    }

    private static HttpServer started(com.sun.net.httpserver.HttpHandler handler) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", handler);
            server.start();
            return server;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
