package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.redis.RedisKeys;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.storage.ObjectUpload;
import dev.deploypipeline.testing.MovableClock;
import dev.deploypipeline.testing.PipelineServers;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import tools.jackson.databind.JsonNode;

/**
 * Retention through the API, on a real Redis and S3 server, under a clock the test moves. Deployments are put in
 * the states a builder leaves them in, each with its sources, site and log in the bucket.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"api.token=" + RetentionTest.ADMIN, "api.read-token=" + RetentionTest.READ})
class RetentionTest {

    static final String ADMIN = "retention-test-admin";
    static final String READ = "retention-test-read";
    private static final Instant START = Instant.parse("2026-06-01T12:00:00Z");
    static final MovableClock CLOCK = new MovableClock(START);

    /** The service's clock, overridden with the one the test moves. */
    @TestBean(methodName = "movedClock")
    Clock clock;

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    private final DeploymentTransitions transitions = new DeploymentTransitions(servers.connector(), CLOCK);
    private final ProjectStore projects = servers.projects();

    @LocalServerPort
    int port;

    private ApiClient api;

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry);
    }

    @BeforeEach
    void setUp() {
        servers.redis().flushall();
        CLOCK.set(START);
        api = new ApiClient(port, ADMIN);
    }

    @Test
    void retentionKeepsWhatTheSiteServesTheNewestNAndWhatHasNotEnded() {
        project("shop", 2);
        DeploymentId waiting = uploaded("shop");
        DeploymentId served = deployed("shop");
        DeploymentId second = deployed("shop");
        DeploymentId third = failed("shop");
        DeploymentId fourth = deployed("shop");
        DeploymentId newest = deployed("shop");
        rollBack("shop", served);

        JsonNode answer = purge(false);

        assertThat(ids(answer.get("purged"))).containsExactlyInAnyOrder(second.value(), third.value());
        for (DeploymentId kept : List.of(served, fourth, newest)) {
            assertThat(servers.redis().hget("status", kept.value()))
                    .as("state of %s", kept)
                    .isEqualTo("deployed");
            assertThat(servers.keys(ObjectKeys.site(kept)))
                    .as("site of %s", kept)
                    .isNotEmpty();
        }
        assertThat(servers.redis().hget("status", waiting.value())).isEqualTo("uploaded");
        assertThat(servers.keys(ObjectKeys.sources(waiting))).isNotEmpty();
        for (DeploymentId gone : List.of(second, third)) {
            assertThat(servers.redis().exists("deployment:" + gone, "logs:" + gone))
                    .isZero();
            assertThat(servers.redis().hget("status", gone.value())).isNull();
            assertThat(servers.redis().zscore("deployments", gone.value())).isNull();
            assertThat(servers.keys("output/" + gone)).isEmpty();
            assertThat(servers.keys("dist/" + gone)).isEmpty();
            assertThat(servers.keys("logs/" + gone)).isEmpty();
        }
        assertThat(ids(api.getJson("/projects/shop/deployments?limit=100")))
                .containsExactly(newest.value(), fourth.value(), served.value(), waiting.value());
        assertThat(projects.aliasTarget(new ProjectName("shop"))).contains(served);
    }

    @Test
    void aPurgedDeploymentAnswers410SayingWhenAndCannotBeRolledBackTo() {
        project("blog", 1);
        DeploymentId old = deployed("blog");
        deployed("blog");
        CLOCK.advance(Duration.ofMinutes(5));
        purge(false);

        for (String path : List.of("/deployments/" + old, "/status?id=" + old, "/deployments/" + old + "/logs")) {
            HttpResponse<String> gone = api.get(path);
            assertThat(gone.statusCode()).as(path).isEqualTo(410);
            assertThat(gone.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(read(gone).get("purgedAt").asString())
                    .isEqualTo(CLOCK.instant().toString());
        }
        assertThat(api.post("/projects/blog/rollback", Map.of("id", old.value()))
                        .statusCode())
                .isEqualTo(410);
        assertThat(api.get("/deployments/" + DeploymentId.random()).statusCode())
                .isEqualTo(404);
    }

    @Test
    void aDryRunListsWhatWouldGoAndDeletesNothing() {
        project("docs", 1);
        DeploymentId older = deployed("docs");
        deployed("docs");
        await().atMost(Duration.ofSeconds(10)).until(RetentionTest::notificationsReadEveryEvent);
        String redisBefore = servers.everythingInRedis();
        List<String> objectsBefore = servers.keys("");

        JsonNode answer = purge(true);

        assertThat(ids(answer.get("purged"))).containsExactly(older.value());
        assertThat(answer.get("dryRun").asBoolean()).isTrue();
        assertThat(servers.everythingInRedis()).isEqualTo(redisBefore);
        assertThat(servers.keys("")).isEqualTo(objectsBefore);
        assertThat(api.get("/deployments/" + older).statusCode()).isEqualTo(200);
    }

    @Test
    void deploymentsOfNoProjectArePurgedOnceOlderThanTheRetentionAndEnded() {
        DeploymentId old = deployed(null);
        DeploymentId oldButBuilding = uploaded(null);
        transitions.start(oldButBuilding, "a-builder");
        CLOCK.advance(Duration.ofDays(2));
        DeploymentId younger = deployed(null);
        CLOCK.advance(Duration.ofDays(29));

        assertThat(ids(purge(false).get("purged"))).containsExactly(old.value());
        assertThat(servers.redis().hget("status", younger.value())).isEqualTo("deployed");
        assertThat(servers.redis().hget("status", oldButBuilding.value())).isEqualTo("building");
    }

    @Test
    void sourcesOfEndedDeploymentsAreRemovedADayAfterTheyEndedAndTheSiteStays() {
        DeploymentId ended = deployed(null);
        DeploymentId deadLetter = uploaded(null);
        transitions.fail(deadLetter, "gave up after 3 attempts");
        servers.redis().lpush("build-queue:dead", deadLetter.value());
        CLOCK.advance(Duration.ofHours(23));
        purge(false);
        assertThat(servers.keys(ObjectKeys.sources(ended))).isNotEmpty();

        CLOCK.advance(Duration.ofHours(2));
        DeploymentId waiting = uploaded(null);
        CLOCK.advance(Duration.ofDays(2));
        purge(false);

        assertThat(servers.keys(ObjectKeys.sources(ended))).isEmpty();
        assertThat(servers.keys(ObjectKeys.site(ended))).isNotEmpty();
        assertThat(servers.keys(ObjectKeys.sources(deadLetter))).isNotEmpty();
        assertThat(servers.keys(ObjectKeys.sources(waiting))).isNotEmpty();
    }

    @Test
    void aPurgeWaitsForTheReplicaSweepingAndNeedsTheAdminScope() {
        project("locked", 1);
        DeploymentId older = deployed("locked");
        deployed("locked");
        servers.redis().set("retention:lock", "another-replica");

        assertThat(api.post("/maintenance/purge", "").statusCode()).isEqualTo(409);
        assertThat(new ApiClient(port, READ)
                        .post("/maintenance/purge?dryRun=true", "")
                        .statusCode())
                .isEqualTo(403);
        assertThat(new ApiClient(port, null).post("/maintenance/purge", "").statusCode())
                .isEqualTo(401);
        assertThat(servers.redis().hget("status", older.value())).isEqualTo("deployed");
    }

    @Test
    void keepIsAProjectSettingFrom1To1000ShownWithItsDefault() {
        assertThat(api.post(
                                "/projects",
                                Map.of("name", "plain", "repoUrl", servers.git().url("plain")))
                        .statusCode())
                .isEqualTo(201);
        assertThat(api.getJson("/projects/plain").get("keep").asInt()).isEqualTo(20);
        assertThat(read(api.patch("/projects/plain", Map.of("keep", 5)))
                        .get("keep")
                        .asInt())
                .isEqualTo(5);
        for (Object wrong : List.of(0, -1, 1001, "many")) {
            assertThat(api.patch("/projects/plain", Map.of("keep", wrong)).statusCode())
                    .as("keep %s", wrong)
                    .isEqualTo(400);
        }
        assertThat(api.getJson("/projects/plain").get("keep").asInt()).isEqualTo(5);
    }

    private void project(String name, int keep) {
        HttpResponse<String> created = api.post(
                "/projects", Map.of("name", name, "repoUrl", servers.git().url(name), "keep", keep));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    private void rollBack(String project, DeploymentId id) {
        HttpResponse<String> rolledBack = api.post("/projects/" + project + "/rollback", Map.of("id", id.value()));
        assertThat(rolledBack.statusCode()).as(rolledBack.body()).isEqualTo(200);
    }

    private JsonNode purge(boolean dryRun) {
        HttpResponse<String> answer = api.post("/maintenance/purge" + (dryRun ? "?dryRun=true" : ""), "");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return read(answer);
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.forEach(item ->
                ids.add(item.isString() ? item.asString() : item.get("id").asString()));
        return ids;
    }

    /** Accepted a minute after the one before, with its sources in the bucket, and queued. */
    private DeploymentId uploaded(String project) {
        CLOCK.advance(Duration.ofMinutes(1));
        DeploymentId id = DeploymentId.random();
        transitions.accept(
                Deployment.accepted(id, servers.git().url("site"), "main", project, CLOCK.instant()),
                Duration.ofMinutes(1));
        put(ObjectKeys.sources(id) + "index.html");
        transitions.upload(id, "0".repeat(40));
        return id;
    }

    private DeploymentId deployed(String project) {
        DeploymentId id = uploaded(project);
        transitions.start(id, "builder");
        put(ObjectKeys.site(id) + "index.html");
        put(ObjectKeys.log(id));
        transitions.deploy(id, "builder");
        if (project != null) {
            projects.promote(new ProjectName(project), id);
        }
        return id;
    }

    private DeploymentId failed(String project) {
        DeploymentId id = uploaded(project);
        transitions.start(id, "builder");
        put(ObjectKeys.log(id));
        transitions.fail(id, "build failed");
        return id;
    }

    private static void put(String key) {
        byte[] body = key.getBytes(StandardCharsets.UTF_8);
        servers.storage()
                .putAll(List.of(
                        new ObjectUpload(key, body.length, "text/plain", () -> new ByteArrayInputStream(body))));
    }

    /**
     * Whether the notifications' fanout, which reads {@code deployment-events} on its own, has read the last one:
     * until then its cursor moves, and a picture of Redis taken before it would differ from one taken after.
     */
    private static boolean notificationsReadEveryEvent() {
        RedisKeys keys = servers.connector().keys();
        List<StreamMessage<String, String>> last =
                servers.redis().xrevrange(keys.deploymentEvents(), Range.create("-", "+"), Limit.from(1));
        return last.isEmpty()
                || Objects.equals(last.get(0).getId(), servers.redis().get(keys.notificationCursor()));
    }

    static Clock movedClock() {
        return CLOCK;
    }
}
