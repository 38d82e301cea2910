package dev.deploypipeline.upload.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.testing.MovableClock;
import dev.deploypipeline.testing.PipelineServers;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Notifications end to end: targets added over the API, deployments moved in a real Redis, and every notice
 * received by a real HTTP server on loopback standing in for a webhook, Slack and GitHub's API. The service's
 * clock is movable, so the pauses between tries pass without waiting.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"notify.timeout=1s", "notify.backoff=1m"})
class NotificationsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final MovableClock CLOCK = MovableClock.ofSystemTime();
    static final Receiver RECEIVER = new Receiver();
    /** A server notices must never reach: not on the allowlist, on loopback. */
    static final Receiver FORBIDDEN = new Receiver();

    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private static final AtomicInteger PROJECTS = new AtomicInteger();

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    private final DeploymentTransitions transitions = servers.transitions();
    private final PipelineMoves pipeline = new PipelineMoves(servers);

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @TestConfiguration
    static class MovableTime {
        @Bean
        Clock clock() {
            return CLOCK;
        }
    }

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry);
        registry.add("notify.allowed-hosts", () -> "127.0.0.1:" + RECEIVER.port());
        registry.add("notify.github-api-url", () -> RECEIVER.url("/api"));
    }

    @AfterAll
    static void stopReceivers() {
        RECEIVER.close();
        FORBIDDEN.close();
    }

    @Test
    void eachEventReachesAWebhookOnceSignedAndInOrder() {
        String project = project();
        JsonNode added = addTarget(project, Map.of("type", "webhook", "url", RECEIVER.url("/" + project)));
        String secret = added.get("secret").asString();

        DeploymentId id = created(project);
        building(id);
        transitions.deploy(id, "builder");

        await().atMost(Duration.ofSeconds(20))
                .until(() -> RECEIVER.at("/" + project).size() >= 3);
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> RECEIVER.at("/" + project).size() == 3);
        List<Receiver.Request> received = RECEIVER.at("/" + project);
        assertThat(received)
                .extracting(r -> r.header("X-Deploy-Event"))
                .containsExactly("deployment.created", "deployment.building", "deployment.succeeded");
        assertThat(new HashSet<>(received.stream()
                        .map(r -> r.header("X-Deploy-Delivery"))
                        .toList()))
                .hasSize(3);
        for (Receiver.Request request : received) {
            assertThat(request.header("X-Deploy-Signature"))
                    .isEqualTo("sha256=" + MessageComposer.hmac(secret, request.body()));
            JsonNode body = JSON.readTree(request.body());
            assertThat(body.get("id").asString()).isEqualTo(request.header("X-Deploy-Delivery"));
            assertThat(Instant.parse(body.get("timestamp").asString())).isCloseTo(CLOCK.instant(), within());
            assertThat(body.get("deployment").get("id").asString()).isEqualTo(id.value());
            assertThat(body.get("deployment").get("project").asString()).isEqualTo(project);
        }
        JsonNode succeeded = JSON.readTree(received.get(2).body()).get("deployment");
        assertThat(succeeded.get("state").asString()).isEqualTo("deployed");
        assertThat(succeeded.get("commit").asString()).isEqualTo(COMMIT);
        assertThat(succeeded.get("branch").asString()).isEqualTo("main");
        assertThat(succeeded.get("url").asString()).contains(id.value());
        assertThat(succeeded.has("finishedAt")).isTrue();
        assertThat(meters.counter("notify.deliveries", "type", "webhook", "outcome", "delivered")
                        .count())
                .isGreaterThanOrEqualTo(3);
    }

    @Test
    void slackGetsOneLineWithALinkAndGitHubGetsCommitStatuses() {
        String project = project();
        addTarget(project, Map.of("type", "slack", "url", RECEIVER.url("/slack/" + project)));
        addTarget(project, Map.of("type", "github", "token", "ghp_tokenOfTheTest1234"));

        DeploymentId ok = created(project);
        building(ok);
        transitions.deploy(ok, "builder");
        DeploymentId broken = created(project);
        building(broken);
        transitions.fail(broken, "build failed: `npm run build` exited with code 2\nmore");

        String statuses = "/api/repos/acme/" + project + "/statuses/" + COMMIT;
        await().atMost(Duration.ofSeconds(20))
                .until(() -> RECEIVER.at("/slack/" + project).size() == 6
                        && RECEIVER.at(statuses).size() == 4);
        List<String> lines = RECEIVER.at("/slack/" + project).stream()
                .map(r -> JSON.readTree(r.body()).get("text").asString())
                .toList();
        assertThat(lines.get(2)).contains(project, "deployed " + ok.value(), "main @ 0123456", "|open the site>");
        assertThat(lines.get(5)).contains("failed", "exited with code 2").doesNotContain("more", "\n");
        List<JsonNode> sent =
                RECEIVER.at(statuses).stream().map(r -> JSON.readTree(r.body())).toList();
        assertThat(sent)
                .extracting(s -> s.get("state").asString())
                .containsExactly("pending", "success", "pending", "failure");
        assertThat(sent).extracting(s -> s.get("context").asString()).containsOnly("deploy-pipeline");
        assertThat(sent.get(1).get("target_url").asString()).contains(ok.value());
        assertThat(sent.get(3).get("target_url").asString()).contains("#/deployments/" + broken.value());
        assertThat(RECEIVER.at(statuses).get(0).header("Authorization")).isEqualTo("Bearer ghp_tokenOfTheTest1234");
    }

    @Test
    void aTargetDownForAWhileGetsItsDeliveriesInOrderOnceItIsBack() {
        String project = project();
        String path = "/" + project;
        AtomicBoolean down = new AtomicBoolean(true);
        RECEIVER.answer(
                path, exchange -> Receiver.status(down.get() ? 503 : 200).answer(exchange));
        addTarget(project, Map.of("type", "webhook", "url", RECEIVER.url(path), "secret", "s3cret-of-the-test"));

        DeploymentId id = created(project);
        building(id);
        transitions.deploy(id, "builder");
        await().atMost(Duration.ofSeconds(10)).until(() -> RECEIVER.at(path).size() == 1);
        CLOCK.advance(Duration.ofMinutes(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> RECEIVER.at(path).size() == 2);
        down.set(false);
        CLOCK.advance(Duration.ofMinutes(2));

        await().atMost(Duration.ofSeconds(15))
                .until(() -> deliveries(project).stream()
                                .allMatch(d -> d.get("state").asString().equals("delivered"))
                        && deliveries(project).size() == 3);
        List<String> events =
                RECEIVER.at(path).stream().map(r -> r.header("X-Deploy-Event")).toList();
        assertThat(events)
                .containsExactly(
                        "deployment.created",
                        "deployment.created",
                        "deployment.created",
                        "deployment.building",
                        "deployment.succeeded");
        JsonNode first = deliveries(project).get(2);
        assertThat(first.get("event").asString()).isEqualTo("deployment.created");
        assertThat(first.get("attempts").asInt()).isEqualTo(3);
        assertThat(first.get("lastStatus").asInt()).isEqualTo(200);
    }

    @Test
    void aTargetThatAlwaysFailsEndsFailedWhileTheDeploymentAndOtherTargetsAreUnaffected() {
        String project = project();
        RECEIVER.answer("/" + project + "/broken", Receiver.status(500));
        addTarget(project, Map.of("type", "webhook", "url", RECEIVER.url("/" + project + "/broken")));
        addTarget(project, Map.of("type", "webhook", "url", RECEIVER.url("/" + project + "/fine")));

        DeploymentId id = created(project);
        building(id);
        transitions.deploy(id, "builder");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> RECEIVER.at("/" + project + "/fine").size() == 3);
        for (int pause = 1; pause < 5; pause++) {
            int tries = pause;
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> RECEIVER.at("/" + project + "/broken").size() == tries);
            CLOCK.advance(Duration.ofMinutes(1L << (pause - 1)));
        }

        await().atMost(Duration.ofSeconds(10))
                .until(() -> deliveries(project).stream()
                        .anyMatch(d -> d.get("state").asString().equals("failed")));
        JsonNode failed = deliveries(project).stream()
                .filter(d -> d.get("state").asString().equals("failed"))
                .findFirst()
                .orElseThrow();
        assertThat(failed.get("attempts").asInt()).isEqualTo(5);
        assertThat(failed.get("lastStatus").asInt()).isEqualTo(500);
        assertThat(failed.get("event").asString()).isEqualTo("deployment.created");
        assertThat(servers.deployments().state(id)).hasValue(DeploymentState.DEPLOYED);
        assertThat(meters.counter("notify.deliveries", "type", "webhook", "outcome", "failed")
                        .count())
                .isGreaterThanOrEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {404, 410})
    void aTargetThatIsGoneIsTriedOnceAndItsDeliveryEndsFailed(int status) {
        String project = project();
        String path = "/services/" + project;
        RECEIVER.answer(path, Receiver.status(status)); // a Slack webhook revoked
        addTarget(project, Map.of("type", "slack", "url", RECEIVER.url(path)));

        created(project);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> deliveries(project).size() == 1
                        && deliveries(project).get(0).get("state").asString().equals("failed"));
        JsonNode failed = deliveries(project).get(0);
        assertThat(failed.get("attempts").asInt()).isEqualTo(1);
        assertThat(failed.get("lastStatus").asInt()).isEqualTo(status);
        assertThat(failed.get("nextAttemptAt").asString()).isEmpty();
        CLOCK.advance(Duration.ofHours(1)); // past every pause the backoff makes
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> RECEIVER.at(path).size() == 1);
        assertThat(RECEIVER.at(path)).hasSize(1);
    }

    @Test
    void aRateLimited403IsTriedAgainAfterThePauseAskedWhereAPlain403EndsFailed() {
        String project = project();
        String limited = "/" + project + "/limited";
        String slowed = "/" + project + "/slowed";
        String forbidden = "/" + project + "/forbidden";
        RECEIVER.answer(limited, Receiver.status(403, Map.of("X-RateLimit-Remaining", "0")));
        RECEIVER.answer(slowed, Receiver.status(403, Map.of("Retry-After", "30")));
        RECEIVER.answer(forbidden, Receiver.status(403));
        Map<String, String> paths = new HashMap<>();
        for (String path : List.of(limited, slowed, forbidden)) {
            paths.put(
                    addTarget(project, Map.of("type", "webhook", "url", RECEIVER.url(path)))
                            .get("id")
                            .asString(),
                    path);
        }

        created(project);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> deliveries(project).size() == 3
                        && deliveries(project).stream()
                                .allMatch(d -> d.get("attempts").asInt() == 1));
        Map<String, JsonNode> byPath = new HashMap<>();
        deliveries(project).forEach(d -> byPath.put(paths.get(d.get("target").asString()), d));
        assertThat(byPath.get(forbidden).get("state").asString()).isEqualTo("failed");
        assertThat(byPath.get(limited).get("state").asString()).isEqualTo("pending");
        assertThat(pause(byPath.get(limited))).isEqualTo(Duration.ofMinutes(1));
        assertThat(pause(byPath.get(slowed))).isEqualTo(Duration.ofSeconds(30));
        CLOCK.advance(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).until(() -> RECEIVER.at(slowed).size() == 2);
        CLOCK.advance(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10)).until(() -> RECEIVER.at(limited).size() == 2);
        assertThat(RECEIVER.at(forbidden)).hasSize(1);
    }

    /** How long a delivery waits after its last try. */
    private static Duration pause(JsonNode delivery) {
        return Duration.between(
                Instant.parse(delivery.get("lastAttemptAt").asString()),
                Instant.parse(delivery.get("nextAttemptAt").asString()));
    }

    @Test
    void siteMovesAreToldAsPromotedAndRolledBackAndNotAsSucceededAgain() {
        String project = project();
        addTarget(project, Map.of("type", "webhook", "url", RECEIVER.url("/" + project)));
        addTarget(project, Map.of("type", "slack", "url", RECEIVER.url("/slack/" + project)));
        DeploymentId id = created(project);
        building(id);
        transitions.deploy(id, "builder");

        // As the alias scripts tell a site move: the deployment's state unchanged, and move, site, pinned beside it.
        siteMove(project, id, "rolled_back", project, true);
        siteMove(project, id, "promoted", "feature-x--" + project, false);

        await().atMost(Duration.ofSeconds(15))
                .until(() -> RECEIVER.at("/" + project).size() == 5
                        && RECEIVER.at("/slack/" + project).size() == 5);
        List<JsonNode> told = RECEIVER.at("/" + project).stream()
                .map(r -> JSON.readTree(r.body()))
                .toList();
        assertThat(told)
                .extracting(body -> body.get("event").asString())
                .containsExactly(
                        "deployment.created",
                        "deployment.building",
                        "deployment.succeeded",
                        "deployment.rolled_back",
                        "deployment.promoted");
        JsonNode rolledBack = told.get(3).get("deployment");
        assertThat(rolledBack.get("site").asString()).isEqualTo(project);
        assertThat(rolledBack.get("pinned").asBoolean()).isTrue();
        assertThat(rolledBack.get("state").asString()).isEqualTo("deployed");
        assertThat(told.get(4).get("deployment").get("site").asString()).isEqualTo("feature-x--" + project);
        List<String> lines = RECEIVER.at("/slack/" + project).stream()
                .map(r -> JSON.readTree(r.body()).get("text").asString())
                .toList();
        assertThat(lines.get(3)).contains("rolled back to " + id.value(), "until a deployment is promoted");
        assertThat(lines.get(4)).contains("feature-x--" + project + " now serves " + id.value());
    }

    private void siteMove(String project, DeploymentId id, String move, String site, boolean pinned) {
        servers.redis()
                .xadd(
                        "deployment-events",
                        Map.of(
                                "id",
                                id.value(),
                                "state",
                                "deployed",
                                "previous",
                                "deployed",
                                "project",
                                project,
                                "move",
                                move,
                                "site",
                                site,
                                "pinned",
                                Boolean.toString(pinned)));
    }

    @Test
    void aRemovedTargetIsToldNothingMoreAndItsWaitingDeliveriesEndFailed() {
        String project = project();
        RECEIVER.answer("/" + project, Receiver.status(503));
        String target = addTarget(project, Map.of("type", "webhook", "url", RECEIVER.url("/" + project)))
                .get("id")
                .asString();
        created(project);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> RECEIVER.at("/" + project).size() == 1);

        assertThat(delete("/projects/" + project + "/notifications/" + target).statusCode())
                .isEqualTo(204);
        CLOCK.advance(Duration.ofMinutes(1));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> deliveries(project).get(0).get("state").asString().equals("failed"));
        assertThat(deliveries(project).get(0).get("lastError").asString()).contains("removed");
        assertThat(RECEIVER.at("/" + project)).hasSize(1);
    }

    @Test
    void aTargetLimitedToFailuresIsToldOfFailuresOnly() {
        String project = project();
        addTarget(
                project,
                Map.of("type", "webhook", "url", RECEIVER.url("/" + project), "events", List.of("deployment.failed")));

        DeploymentId ok = created(project);
        building(ok);
        transitions.deploy(ok, "builder");
        DeploymentId broken = created(project);
        transitions.fail(broken, "could not fetch");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> RECEIVER.at("/" + project).size() == 1);
        await().during(Duration.ofSeconds(1))
                .until(() -> RECEIVER.at("/" + project).size() == 1);
        JsonNode told = JSON.readTree(RECEIVER.at("/" + project).get(0).body());
        assertThat(told.get("event").asString()).isEqualTo("deployment.failed");
        assertThat(told.get("deployment").get("error").asString()).isEqualTo("could not fetch");
    }

    @Test
    void targetsOnPrivateOrMetadataAddressesAndMalformedTargetsAreRefused() {
        String project = project();
        for (Map<String, Object> body : List.<Map<String, Object>>of(
                Map.of("type", "webhook", "url", "http://169.254.169.254/latest/meta-data/"),
                Map.of("type", "webhook", "url", "https://169.254.169.254/latest/meta-data/"),
                Map.of("type", "webhook", "url", "https://10.0.0.7/hook"),
                Map.of("type", "webhook", "url", "https://[::ffff:127.0.0.1]/hook"),
                Map.of("type", "webhook", "url", "https://2130706433/hook"),
                Map.of("type", "webhook", "url", "https://localhost/hook"),
                Map.of("type", "webhook", "url", FORBIDDEN.url("/hook")),
                Map.of("type", "webhook", "url", "https://user:pw@example.com/hook"),
                Map.of("type", "webhook", "url", "file:///etc/passwd"),
                Map.of("type", "slack", "url", "gopher://example.com/"),
                Map.of("type", "webhook"),
                Map.of("type", "pager", "url", "https://example.com/"),
                Map.of("type", "webhook", "url", RECEIVER.url("/x"), "events", List.of("deployment.exploded")),
                Map.of("type", "webhook", "url", RECEIVER.url("/x"), "secret", "two\r\nlines"),
                Map.of("type", "github", "url", "https://github.com/acme/site"),
                Map.of("type", "github", "token", "t0ken\nX-Injected: yes"),
                Map.of("type", "github", "token", "t0ken-ok", "url", "https://github.com/not-a-repository"),
                Map.of("type", "github", "token", "t0ken-ok", "url", "mailto:someone@example.com"))) {
            HttpResponse<String> answer = post("/projects/" + project + "/notifications", body);
            assertThat(answer.statusCode()).as(body.toString()).isEqualTo(400);
            assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertThat(JSON.readTree(get("/projects/" + project + "/notifications").body()))
                .isEmpty();
        assertThat(post("/projects/no-such-project/notifications", Map.of("type", "webhook", "url", RECEIVER.url("/")))
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void aRedirectIsNotFollowedWhereverItPoints() {
        String project = project();
        RECEIVER.answer("/" + project, Receiver.redirectTo(FORBIDDEN.url("/stolen")));
        RECEIVER.answer("/" + project + "/metadata", Receiver.redirectTo("http://169.254.169.254/latest/meta-data/"));
        addTarget(project, Map.of("type", "webhook", "url", RECEIVER.url("/" + project)));
        addTarget(project, Map.of("type", "webhook", "url", RECEIVER.url("/" + project + "/metadata")));

        created(project);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> deliveries(project).size() == 2
                        && deliveries(project).stream()
                                .allMatch(d -> d.get("attempts").asInt() == 1));
        assertThat(deliveries(project)).allSatisfy(d -> {
            assertThat(d.get("state").asString()).isEqualTo("pending");
            assertThat(d.get("lastStatus").asInt()).isEqualTo(302);
            assertThat(d.get("lastError").asString()).contains("redirect", "not followed");
        });
        assertThat(FORBIDDEN.startingWith("/")).isEmpty();
    }

    @Test
    void aHugeOrSlowAnswerCannotStallOtherDeliveries() {
        String project = project();
        RECEIVER.answer("/" + project + "/silent", Receiver.silentFor(Duration.ofSeconds(30)));
        RECEIVER.answer("/" + project + "/endless", Receiver.endlessBody());
        RECEIVER.answer("/" + project + "/drip", Receiver.drip());
        for (String kind : List.of("silent", "endless", "drip", "fine")) {
            addTarget(project, Map.of("type", "webhook", "url", RECEIVER.url("/" + project + "/" + kind)));
        }

        DeploymentId id = created(project);
        building(id);
        transitions.deploy(id, "builder");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> RECEIVER.at("/" + project + "/fine").size() == 3);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> RECEIVER.at("/" + project + "/endless").size() == 3);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> deliveries(project).stream()
                                .filter(d -> d.get("target").asString().length() > 0)
                                .filter(d -> d.get("attempts").asInt() >= 1)
                                .count()
                        >= 8);
        List<JsonNode> listed = deliveries(project);
        assertThat(listed)
                .filteredOn(d -> d.path("lastError").asString("").contains("no answer within 1s"))
                .isNotEmpty();
        assertThat(listed)
                .filteredOn(d -> d.get("state").asString().equals("delivered"))
                .allSatisfy(d -> assertThat(d.path("lastResponse").asString("").length())
                        .isLessThanOrEqualTo(DeliverySender.BODY_KEPT));
    }

    @Test
    void targetsAreListedWithoutSecretsOrTokensAndCanBeRemoved() {
        String project = project();
        String hook = addTarget(
                        project,
                        Map.of(
                                "type",
                                "webhook",
                                "url",
                                RECEIVER.url("/" + project + "?key=hidden-query-key"),
                                "secret",
                                "the-webhook-secret"))
                .get("id")
                .asString();
        addTarget(project, Map.of("type", "slack", "url", RECEIVER.url("/services/T000/B000/slackpathsecret")));
        addTarget(project, Map.of("type", "webhook", "url", RECEIVER.url("/api/webhooks/1/discordpathsecret")));
        addTarget(
                project,
                Map.of("type", "github", "token", "ghp_theGitHubToken", "events", List.of("deployment.failed")));

        HttpResponse<String> listed = get("/projects/" + project + "/notifications");

        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body())
                .doesNotContain(
                        "the-webhook-secret",
                        "ghp_theGitHubToken",
                        "slackpathsecret",
                        "discordpathsecret",
                        "hidden-query-key");
        JsonNode targets = JSON.readTree(listed.body());
        assertThat(targets).hasSize(4);
        assertThat(targets.get(0).get("hasSecret").asBoolean()).isTrue();
        assertThat(targets.get(2).get("url").asString()).isEqualTo(RECEIVER.url("/***"));
        assertThat(targets.get(3).get("hasToken").asBoolean()).isTrue();
        assertThat(targets.get(3).get("events").get(0).asString()).isEqualTo("deployment.failed");
        assertThat(targets.get(3).get("url").asString()).isEqualTo("https://github.com/acme/" + project);
        assertThat(delete("/projects/" + project + "/notifications/" + hook).statusCode())
                .isEqualTo(204);
        assertThat(delete("/projects/" + project + "/notifications/" + hook).statusCode())
                .isEqualTo(404);
        assertThat(delete("/projects/" + project + "/notifications/not-an-id").statusCode())
                .isEqualTo(400);
        assertThat(JSON.readTree(get("/projects/" + project + "/notifications").body()))
                .hasSize(3);
    }

    // --- the pipeline, moved as the services move it

    private String project() {
        return pipeline.project("notified-" + PROJECTS.incrementAndGet());
    }

    private DeploymentId created(String project) {
        return pipeline.created(project);
    }

    private void building(DeploymentId id) {
        pipeline.building(id, COMMIT);
    }

    // --- the API

    private JsonNode addTarget(String project, Map<String, Object> body) {
        HttpResponse<String> answer = post("/projects/" + project + "/notifications", body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        return JSON.readTree(answer.body());
    }

    private List<JsonNode> deliveries(String project) {
        HttpResponse<String> answer = get("/projects/" + project + "/notifications/deliveries");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return java.util.stream.StreamSupport.stream(
                        JSON.readTree(answer.body()).spliterator(), false)
                .toList();
    }

    private HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    private HttpResponse<String> post(String path, Object body) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static org.assertj.core.data.TemporalUnitOffset within() {
        return org.assertj.core.api.Assertions.within(
                Duration.ofMinutes(5).toSeconds(), java.time.temporal.ChronoUnit.SECONDS);
    }
}
