package dev.deploypipeline.upload.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.testing.PipelineServers;
import dev.deploypipeline.upload.UploadServiceApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Several upload-services against one Redis, each a whole application: every delivery is sent once, in the order the
 * events happened, and deliveries outlive the services that queued them.
 */
class NotificationReplicasTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String COMMIT = "89abcdef0123456789abcdef0123456789abcdef";

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    private final Receiver receiver = new Receiver();
    private final DeploymentTransitions transitions = servers.transitions();
    private final PipelineMoves pipeline = new PipelineMoves(servers);
    private final List<ConfigurableApplicationContext> replicas = new ArrayList<>();

    @AfterEach
    void stop() {
        replicas.forEach(ConfigurableApplicationContext::close);
        receiver.close();
    }

    @Test
    void twoReplicasSendEachDeliveryOnceInTheOrderTheEventsHappened() {
        ConfigurableApplicationContext first = replica();
        replica();
        String project = pipeline.project("twins");
        addWebhook(first, project, "/twins");
        List<String> moves = new ArrayList<>();

        for (int i = 0; i < 8; i++) {
            DeploymentId id = pipeline.created(project);
            moves.add(id + " deployment.created");
            pipeline.building(id, COMMIT);
            moves.add(id + " deployment.building");
            transitions.deploy(id, "builder");
            moves.add(id + " deployment.succeeded");
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.at("/twins").size() >= moves.size());
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(5))
                .until(() -> receiver.at("/twins").size() == moves.size());
        List<String> told = receiver.at("/twins").stream()
                .map(r -> JSON.readTree(r.body()))
                .map(body -> body.get("deployment").get("id").asString() + " "
                        + body.get("event").asString())
                .toList();
        assertThat(told).containsExactlyElementsOf(moves);
        assertThat(receiver.at("/twins").stream()
                        .map(r -> r.header("X-Deploy-Delivery"))
                        .distinct())
                .hasSize(moves.size());
    }

    @Test
    void deliveriesWaitingWhenEveryReplicaStopsAreSentAfterARestart() {
        AtomicBoolean down = new AtomicBoolean(true);
        receiver.answer(
                "/later", exchange -> Receiver.status(down.get() ? 503 : 204).answer(exchange));
        ConfigurableApplicationContext running = replica();
        String project = pipeline.project("later");
        addWebhook(running, project, "/later");
        DeploymentId tried = pipeline.created(project);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.at("/later").size() == 1);

        running.close();
        DeploymentId whileDown = pipeline.created(project);
        transitions.fail(whileDown, "nobody was there");
        down.set(false);
        replica();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> receiver.at("/later").stream()
                                .filter(r -> JSON.readTree(r.body())
                                        .get("event")
                                        .asString()
                                        .equals("deployment.failed"))
                                .count()
                        == 1);
        List<String> told = receiver.at("/later").stream()
                .map(r -> JSON.readTree(r.body()))
                .map(body -> body.get("deployment").get("id").asString() + " "
                        + body.get("event").asString())
                .toList();
        assertThat(told.stream().distinct())
                .containsExactly(
                        tried + " deployment.created",
                        whileDown + " deployment.created",
                        whileDown + " deployment.failed");
        int triedTimes = (int)
                told.stream().filter((tried + " deployment.created")::equals).count();
        assertThat(triedTimes)
                .as("tried while the target was down, and again after the restart")
                .isGreaterThanOrEqualTo(2);
        assertThat(told).hasSize(triedTimes + 2);
    }

    private ConfigurableApplicationContext replica() {
        Map<String, Object> properties = new HashMap<>(servers.properties());
        properties.put("server.port", "0");
        properties.put("notify.allowed-hosts", "127.0.0.1:" + receiver.port());
        properties.put("notify.backoff", "1s");
        properties.put("notify.timeout", "2s");
        ConfigurableApplicationContext context = new SpringApplicationBuilder(UploadServiceApplication.class)
                .run(properties.entrySet().stream()
                        .map(p -> "--" + p.getKey() + "=" + p.getValue())
                        .toArray(String[]::new));
        replicas.add(context);
        return context;
    }

    private void addWebhook(ConfigurableApplicationContext replica, String project, String path) {
        String port = replica.getEnvironment().getProperty("local.server.port");
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(
                                            "http://127.0.0.1:" + port + "/projects/" + project + "/notifications"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                                            Map.of("type", "webhook", "url", receiver.url(path)))))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
            JsonNode body = JSON.readTree(answer.body());
            assertThat(body.get("secret").asString()).hasSize(64);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
