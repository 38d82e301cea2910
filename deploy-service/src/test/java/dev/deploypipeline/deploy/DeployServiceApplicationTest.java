package dev.deploypipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.storage.S3Settings;
import dev.deploypipeline.testing.RedisServer;
import dev.deploypipeline.testing.S3Server;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The whole service on a random port, with a real Redis and a real S3 server behind it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "DEPLOY_WORKERS=2", "BUILD_TIMEOUT=90s", "DEPLOY_REPLICA_NAME=smoke-test"})
@DirtiesContext
class DeployServiceApplicationTest {

    private static final RedisServer REDIS = RedisServer.start();
    private static final S3Settings S3 = S3Server.shared().newBucket();

    static {
        // After the context is closed (its workers still use Redis until then), when the JVM exits.
        Runtime.getRuntime().addShutdownHook(new Thread(REDIS::close, "redis-test-stop"));
    }

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("REDIS_URL", () -> REDIS.url().toString());
        registry.add("S3_ENDPOINT", () -> S3.endpoint().toString());
        registry.add("S3_BUCKET", S3::bucket);
    }

    @LocalServerPort
    int port;

    @Autowired
    DeploySettings settings;

    @Autowired
    JsonMapper json;

    @Autowired
    ApplicationContext context;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void healthIsUpWithRedisAndObjectStorage() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/actuator/health");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = json.readTree(response.body());
        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.path("components").path("redis").path("status").asString()).isEqualTo("UP");
        assertThat(health.path("components").path("objectStorage").path("status").asString()).isEqualTo("UP");
    }

    @Test
    void metricsAreServedAndNothingElseIs() throws IOException, InterruptedException {
        assertThat(get("/actuator/metrics").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/env").statusCode()).isEqualTo(404);
    }

    @Test
    void settingsAreBoundFromTheDocumentedVariables() {
        assertThat(settings.workers()).isEqualTo(2);
        assertThat(settings.buildTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(settings.replicaName()).isEqualTo("smoke-test");
    }

    @Test
    void workerPoolRunsWithTheApplication() {
        assertThat(context.getBean("workerPool", SmartLifecycle.class).isRunning()).isTrue();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
