package dev.deploypipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.testing.DocumentedSettings;
import dev.deploypipeline.testing.PipelineServers;
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

/**
 * The whole service on a random port, with a real Redis and a real S3 server behind it; the README documents what it
 * binds and serves.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"deploy.workers=2", "build.timeout=90s", "deploy.replica-name=smoke-test"})
@DirtiesContext
class DeployServiceApplicationTest {

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        // The JVM's: its workers use them until the context is closed, and they stop when the JVM exits.
        PipelineServers.shared().register(registry);
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
        assertThat(health.path("components").path("redis").path("status").asString())
                .isEqualTo("UP");
        assertThat(health.path("components")
                        .path("objectStorage")
                        .path("status")
                        .asString())
                .isEqualTo("UP");
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
    void everySettingTheServiceBindsIsDocumentedWithItsDefaultAndNoOther() {
        DocumentedSettings.assertDocumented("deploy-service", context);
    }

    @Test
    void itsHttpIsHealthAndMetricsOnlyWithNoControllerOfItsOwn() {
        DocumentedSettings.assertServesNoApi("deploy-service", context);
    }

    @Test
    void workerPoolRunsWithTheApplication() {
        assertThat(context.getBean("workerPool", SmartLifecycle.class).isRunning())
                .isTrue();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
