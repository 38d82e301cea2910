package dev.deploypipeline.upload.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.testing.MovableClock;
import dev.deploypipeline.testing.PipelineServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Scheduled rebuilds with whole upload-services on a real Redis, S3 server and git server, under a clock the test
 * moves: no builder runs, so a scheduled deployment waits in the queue once its sources are uploaded.
 */
class ScheduledRebuildsTest {

    private static final Instant MIDNIGHT = Instant.parse("2026-03-02T00:00:00Z");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    private final MovableClock clock = new MovableClock(MIDNIGHT);
    private UploadServices services;
    private String repository;

    @BeforeEach
    void setUp() {
        servers.redis().flushall();
        clock.set(MIDNIGHT);
        services = new UploadServices(servers, clock, Map.of("schedule.poll-interval", "100ms"));
        String name = "nightly-" + System.nanoTime();
        servers.git().repository(name).file("index.html", "<h1>nightly</h1>").commit("first");
        repository = servers.git().url(name);
    }

    @AfterEach
    void stop() {
        services.close();
    }

    @Test
    void aScheduleFiresOnceWithTwoUploadServicesRunning() {
        ConfigurableApplicationContext first = services.start();
        services.start();
        JsonNode project = send(first, "POST", "/projects", project("nightly", "0 3 * * *"), 201);
        assertThat(project.get("nextRun").asString()).isEqualTo("2026-03-02T03:00:00Z");

        clock.set(Instant.parse("2026-03-02T03:00:01Z"));

        await().atMost(Duration.ofSeconds(20)).until(() -> history("nightly").size() == 1);
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(() -> history("nightly").size() == 1);
        DeploymentId run = history("nightly").get(0);
        servers.awaitStatus(run.value(), "uploaded");
        assertThat(send(first, "GET", "/projects/nightly", null, 200)
                        .get("nextRun")
                        .asString())
                .isEqualTo("2026-03-03T03:00:00Z");
        assertThat(servers.redis().hget("deployment:" + run, "ref")).isEqualTo("main");
    }

    @Test
    void aRunDueWhileEveryServiceWasDownFiresOnceAtStartNotOncePerMissedRun() {
        ConfigurableApplicationContext service = services.start();
        send(service, "POST", "/projects", project("weekly", "0 3 * * *"), 201);
        services.stop(service);

        clock.set(Instant.parse("2026-03-05T12:00:00Z")); // three runs missed
        ConfigurableApplicationContext restarted = services.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> history("weekly").size() == 1);
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(() -> history("weekly").size() == 1);
        assertThat(send(restarted, "GET", "/projects/weekly", null, 200)
                        .get("nextRun")
                        .asString())
                .isEqualTo("2026-03-06T03:00:00Z");
    }

    @Test
    void aRunJoinsADeploymentOfTheBranchStillWaitingInsteadOfQueueingAnother() {
        ConfigurableApplicationContext service = services.start();
        send(service, "POST", "/projects", project("joined", "0 3 * * *"), 201);
        clock.set(Instant.parse("2026-03-02T03:00:01Z"));
        await().atMost(Duration.ofSeconds(20)).until(() -> history("joined").size() == 1);
        DeploymentId waiting = history("joined").get(0);
        servers.awaitStatus(waiting.value(), "uploaded");

        clock.set(Instant.parse("2026-03-03T03:00:01Z"));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> ("joined " + waiting).equals(servers.redis().hget("project:joined:schedule", "lastRun")));
        assertThat(history("joined")).containsExactly(waiting);
        assertThat(servers.redis().llen("build-queue")).isEqualTo(1);
    }

    @Test
    void theTimeZoneSaysWhenTheScheduleRunsAndPatchChangesOrRemovesIt() {
        ConfigurableApplicationContext service = services.start();
        Map<String, Object> berlin = new java.util.HashMap<>(project("berlin", "30 3 * * 1-5"));
        berlin.put("timeZone", "Europe/Berlin");
        JsonNode created = send(service, "POST", "/projects", berlin, 201);
        assertThat(created.get("nextRun").asString()).isEqualTo("2026-03-02T02:30:00Z");
        assertThat(created.get("timeZone").asString()).isEqualTo("Europe/Berlin");

        JsonNode weekly = send(service, "PATCH", "/projects/berlin", Map.of("schedule", "@weekly"), 200);
        assertThat(weekly.get("schedule").asString()).isEqualTo("@weekly");
        assertThat(weekly.get("nextRun").asString()).isEqualTo("2026-03-07T23:00:00Z");

        JsonNode none = send(service, "PATCH", "/projects/berlin", JSON.readTree("{\"schedule\": null}"), 200);
        assertThat(none.has("schedule")).isFalse();
        assertThat(none.has("nextRun")).isFalse();
        assertThat(servers.redis().zscore("schedules", "berlin")).isNull();
    }

    @Test
    void aScheduleThatWouldRunTooOftenOrCannotBeReadIsRefusedAndChangesNothing() {
        ConfigurableApplicationContext service = services.start();
        send(service, "POST", "/projects", project("guarded", "0 3 * * *"), 201);

        for (String cron : List.of(
                "* * * * * *",
                "* * * * *",
                "*/5 * * * *",
                "0 0,1 * * * *",
                "0 3 * * * * *",
                "61 * * * *",
                "",
                "@often")) {
            JsonNode refused = send(service, "PATCH", "/projects/guarded", Map.of("schedule", cron), 400);
            assertThat(refused.get("detail").asString()).as(cron).contains("schedule");
        }
        JsonNode zone = send(
                service,
                "PATCH",
                "/projects/guarded",
                Map.of("schedule", "0 4 * * *", "timeZone", "Mars/Olympus"),
                400);
        assertThat(zone.get("detail").asString()).contains("timeZone");

        JsonNode unchanged = send(service, "GET", "/projects/guarded", null, 200);
        assertThat(unchanged.get("schedule").asString()).isEqualTo("0 3 * * *");
        assertThat(unchanged.get("nextRun").asString()).isEqualTo("2026-03-02T03:00:00Z");
    }

    private Map<String, Object> project(String name, String schedule) {
        return Map.of("name", name, "repoUrl", repository, "branch", "main", "schedule", schedule);
    }

    private static List<DeploymentId> history(String project) {
        return servers.projects().history(new ProjectName(project), 100);
    }

    private static JsonNode send(
            ConfigurableApplicationContext service, String method, String path, Object body, int status) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + UploadServices.port(service) + path))
                    .header("Content-Type", "application/json")
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> response =
                    HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode())
                    .as("%s %s: %s", method, path, response.body())
                    .isEqualTo(status);
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
