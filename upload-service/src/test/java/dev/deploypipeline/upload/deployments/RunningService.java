package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.testing.PipelineServers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service on a random port, with a real Redis and S3 server, for tests of its HTTP API. The servers are the
 * JVM's, so the test classes that extend this one share one application context; Redis is emptied before each
 * test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class RunningService {

    /** A repository address where nothing answers: deployments of it are accepted, then fail to fetch. */
    static final String NO_GIT_SERVER = "127.0.0.1:9";

    /** The JVM's, stopped when it exits, after the contexts are closed. */
    static final PipelineServers SERVERS = PipelineServers.shared();

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        SERVERS.register(registry, NO_GIT_SERVER);
    }

    @LocalServerPort
    int port;

    final DeploymentStore store = SERVERS.deployments();
    final DeploymentTransitions transitions = SERVERS.transitions();

    @BeforeEach
    void emptyRedis() {
        SERVERS.redis().flushall();
    }

    /** A new deployment, being fetched. */
    DeploymentId created() {
        DeploymentId id = DeploymentId.random();
        transitions.accept(
                Deployment.accepted(id, "https://git.example.com/site.git", null, null, Instant.now()),
                Duration.ofMinutes(1));
        return id;
    }

    /** A new deployment, being built by {@code builder}. */
    DeploymentId building(String builder) {
        DeploymentId id = created();
        transitions.upload(id, "0123456789abcdef0123456789abcdef01234567");
        // Taken off the queue by its builder, as a deploy replica's BLMOVE does.
        SERVERS.redis()
                .lmove(
                        "build-queue",
                        "build-queue:processing:" + builder,
                        io.lettuce.core.LMoveArgs.Builder.rightLeft());
        transitions.start(id, builder);
        return id;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return post(path, HttpRequest.BodyPublishers.noBody());
    }

    HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return post(path, HttpRequest.BodyPublishers.ofString(json));
    }

    private HttpResponse<String> post(String path, HttpRequest.BodyPublisher body)
            throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(uri(path))
                                .header("Content-Type", "application/json")
                                .POST(body)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
