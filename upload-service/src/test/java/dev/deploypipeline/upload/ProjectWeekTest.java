package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.project.PreviewAlias;
import dev.deploypipeline.project.PreviewStore;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.storage.ObjectUpload;
import dev.deploypipeline.testing.MovableClock;
import dev.deploypipeline.testing.PipelineServers;
import dev.deploypipeline.testing.TestRepository;
import io.lettuce.core.LMoveArgs;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * A project set up once (its repository, a nightly schedule in Berlin time, retention of its newest three, previews
 * of {@code feature/*}) lives a week of pushes under a clock the test moves: two pushes a day through the signed
 * GitHub webhook, a rollback that pins the site until a nightly is promoted, a nightly rebuild each night, pushes to {@code feature/cart} that move its preview while
 * the site stays, the branch deleted, retention's sweep running all along, every event told to one webhook and
 * failures to another; then a month passes. upload-service runs whole on a real Redis, S3 server and git server; the
 * test plays the builder, making the moves a deploy-service makes (start, publish {@code dist/{id}/}, deploy, promote
 * the site or the preview) through the same scripts.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "github.webhook-secret=" + ProjectWeekTest.SECRET,
            "schedule.poll-interval=100ms",
            "retention-sweep-interval=200ms"
        })
class ProjectWeekTest {

    static final String SECRET = "week-test-webhook-secret";
    private static final Instant MONDAY = Instant.parse("2026-03-02T06:00:00Z");
    private static final int KEEP = 3;
    private static final String FEATURE = "feature/cart";
    /** The days on whose evening {@link #FEATURE} is pushed; it is deleted on {@link #BRANCH_DELETED}'s. */
    private static final List<Integer> PREVIEW_DAYS = List.of(1, 3, 4);

    private static final int BRANCH_DELETED = 5;
    static final MovableClock CLOCK = new MovableClock(MONDAY);

    /** The service's clock, overridden with the one the test moves. */
    @TestBean(methodName = "movedClock")
    Clock clock;

    static final Notices NOTICES = new Notices();

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    private final DeploymentTransitions builder = new DeploymentTransitions(servers.connector(), CLOCK);
    private final ProjectStore projects = servers.projects();
    private final ProjectName shop = new ProjectName("shop");
    private final PreviewStore previews = new PreviewStore(servers.connector());
    private final PreviewAlias cart = PreviewAlias.of(shop, FEATURE).orElseThrow();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry);
        registry.add("notify.allowed-hosts", () -> "127.0.0.1:" + NOTICES.port());
    }

    @AfterAll
    static void stopReceiver() {
        NOTICES.close();
    }

    @Test
    void aProjectSetUpOnceLivesAWeekOfPushesNightlyRebuildsAndRetention() {
        ApiClient api = new ApiClient(port, null);
        GitHubDeliveries github = new GitHubDeliveries(api, SECRET);
        TestRepository repository = servers.git().repository("shop");
        String url = servers.git().url("shop");
        repository.file("index.html", "<h1>opening</h1>").commit("opening");
        HttpResponse<String> created = api.post(
                "/projects",
                Map.of(
                        "name", "shop",
                        "repoUrl", url,
                        "branch", "main",
                        "schedule", "0 3 * * *",
                        "timeZone", "Europe/Berlin",
                        "keep", KEEP,
                        "previewBranches", List.of("feature/*")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(read(created).get("nextRun").asString()).isEqualTo("2026-03-03T02:00:00Z");
        notifyAt("/every-event", List.of());
        String failuresSecret = notifyAt("/failures", List.of("deployment.failed"));
        String oneOff = api.deploy(Map.of("repoUrl", url));
        build(oneOff);

        List<String> everyDeployment = new ArrayList<>();
        List<String> previewDeployments = new ArrayList<>();
        String rolledBackTo = null;
        String failing = null;
        for (int day = 0; day < 7; day++) {
            Instant morning = MONDAY.plus(Duration.ofDays(day)).plus(Duration.ofHours(3));
            for (String at : List.of("morning", "afternoon")) {
                CLOCK.set(at.equals("morning") ? morning : morning.plus(Duration.ofHours(5)));
                String commit = repository
                        .file("index.html", "<h1>day " + day + ", " + at + "</h1>")
                        .commit(at);
                HttpResponse<String> pushed = github.push(url, "main", commit);
                assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(202);
                String id = read(pushed).get("id").asString();
                build(id);
                everyDeployment.add(id);
                assertThat(servedBySite()).isEqualTo(id);
                assertThat(servers.text(ObjectKeys.site(new DeploymentId(id)) + "index.html"))
                        .contains("day " + day + ", " + at);
            }
            if (PREVIEW_DAYS.contains(day)) {
                // In the evening, a push to the feature branch: its preview moves forward, the site stays.
                CLOCK.set(morning.plus(Duration.ofHours(7)));
                String site = servedBySite();
                String previous = servedByPreview();
                String commit = repository
                        .branch(FEATURE)
                        .file("index.html", "<h1>cart, day " + day + "</h1>")
                        .commit("cart");
                repository.branch("main");
                HttpResponse<String> pushed = github.push(url, FEATURE, commit);
                assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(202);
                String preview = read(pushed).get("id").asString();
                build(preview);
                everyDeployment.add(preview);
                previewDeployments.add(preview);
                assertThat(servedByPreview()).isEqualTo(preview).isNotEqualTo(previous);
                assertThat(servedBySite()).isEqualTo(site);
                assertThat(servers.text(ObjectKeys.site(new DeploymentId(preview)) + "index.html"))
                        .contains("cart, day " + day);
                awaitRetained(everyDeployment);
                if (previous != null) {
                    assertThat(api.get("/deployments/" + previous).statusCode())
                            .as("the preview's last, now served by nothing and past the newest %d", KEEP)
                            .isEqualTo(410);
                }
            }
            if (day == BRANCH_DELETED) {
                CLOCK.set(morning.plus(Duration.ofHours(7)));
                String served = servedByPreview();
                HttpResponse<String> deleted =
                        github.send("push", java.util.UUID.randomUUID().toString(), deletionOf(url, FEATURE), SECRET);
                assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
                assertThat(servedByPreview()).isNull();
                assertThat(api.getJson("/projects/shop").get("previews")).isEmpty();
                awaitRetained(everyDeployment);
                assertThat(api.get("/deployments/" + served).statusCode())
                        .as("the deleted branch's preview, past the newest %d", KEEP)
                        .isEqualTo(410);
            }
            if (day == 2) {
                // The site rolled back to the oldest kept; then a build fails: retention keeps what the site serves.
                rolledBackTo = everyDeployment.get(everyDeployment.size() - KEEP);
                assertThat(api.post("/projects/shop/rollback", Map.of("id", rolledBackTo))
                                .statusCode())
                        .isEqualTo(200);
                CLOCK.set(morning.plus(Duration.ofHours(9)));
                String broken = repository.file("broken.js", "syntax error(").commit("broken");
                HttpResponse<String> pushed = github.push(url, "main", broken);
                failing = read(pushed).get("id").asString();
                fail(failing);
                everyDeployment.add(failing);
                awaitRetained(everyDeployment);
                Set<String> retained = retained(everyDeployment);
                assertThat(retained).hasSize(KEEP + 2).contains(rolledBackTo, servedByPreview());
                await().during(Duration.ofSeconds(1))
                        .atMost(Duration.ofSeconds(3))
                        .until(() -> Set.copyOf(history()).equals(retained));
                assertThat(servedBySite()).isEqualTo(rolledBackTo);
                assertThat(api.get("/deployments/" + rolledBackTo).statusCode()).isEqualTo(200);
            }
            // 03:00 in Berlin: the nightly rebuild, of the branch as it is.
            CLOCK.set(MONDAY.plus(Duration.ofDays(day + 1))
                    .minus(Duration.ofHours(4))
                    .plusSeconds(1));
            String nightly = awaitScheduledRun(everyDeployment);
            build(nightly);
            everyDeployment.add(nightly);
            if (day == 2) {
                // The rollback sticks: the nightly builds, the site stays pinned until the nightly is promoted.
                assertThat(servedBySite()).isEqualTo(rolledBackTo);
                assertThat(api.getJson("/projects/shop").get("pinned").asString())
                        .isEqualTo(rolledBackTo);
                awaitRetained(everyDeployment);
                HttpResponse<String> promoted = api.post("/projects/shop/promote", Map.of("id", nightly));
                assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
                assertThat(read(promoted).get("pinned").asBoolean()).isFalse();
            }
            assertThat(servedBySite()).isEqualTo(nightly);
            assertThat(servers.text(ObjectKeys.site(new DeploymentId(nightly)) + "index.html"))
                    .contains("day " + day + ", afternoon");
            assertThat(api.getJson("/projects/shop").get("nextRun").asString())
                    .isEqualTo(MONDAY.plus(Duration.ofDays(day + 2))
                            .minus(Duration.ofHours(4))
                            .toString());
            awaitRetained(everyDeployment);
            String preview = servedByPreview();
            if (preview != null) {
                // Whatever the preview serves stays, in or past the newest KEEP.
                assertThat(api.get("/deployments/" + preview).statusCode()).isEqualTo(200);
                assertThat(servers.keys(ObjectKeys.site(new DeploymentId(preview))))
                        .isNotEmpty();
            }
        }

        // 15 of the site's (two a day, one failing, seven nightly) and three of the preview's.
        assertThat(everyDeployment).hasSize(25);
        assertThat(previewDeployments).hasSize(3);
        List<String> kept = everyDeployment.subList(everyDeployment.size() - KEEP, everyDeployment.size());
        assertThat(history()).containsExactly(kept.get(2), kept.get(1), kept.get(0));
        for (String purged : everyDeployment.subList(0, everyDeployment.size() - KEEP)) {
            assertThat(api.get("/deployments/" + purged).statusCode())
                    .as(purged)
                    .isEqualTo(410);
            assertThat(servers.keys("dist/" + purged + "/")).isEmpty();
            assertThat(servers.keys("logs/" + purged)).isEmpty();
        }
        assertThat(api.post("/projects/shop/rollback", Map.of("id", rolledBackTo))
                        .statusCode())
                .isEqualTo(410);
        for (String id : kept) {
            assertThat(servers.keys(ObjectKeys.site(new DeploymentId(id)))).isNotEmpty();
        }
        assertThat(api.get("/deployments/" + oneOff).statusCode()).isEqualTo(200);
        String failed = failing;
        await().atMost(Duration.ofSeconds(30))
                .until(() -> everyDeployment.stream()
                        .allMatch(id -> NOTICES.of("/every-event", id)
                                .contains(id.equals(failed) ? "deployment.failed" : "deployment.succeeded")));
        for (String id : everyDeployment) {
            assertThat(NOTICES.of("/every-event", id))
                    .as("notices of %s", id)
                    .startsWith("deployment.created", "deployment.building")
                    .containsOnlyOnce(id.equals(failed) ? "deployment.failed" : "deployment.succeeded");
        }
        List<Notices.Notice> failures = NOTICES.at("/failures");
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0).event()).isEqualTo("deployment.failed");
        assertThat(failures.get(0).body()).contains(failed);
        assertThat(failures.get(0).signature())
                .isEqualTo(GitHubDeliveries.signature(failures.get(0).body(), failuresSecret));
        for (String preview : previewDeployments) {
            assertThat(NOTICES.at("/every-event"))
                    .filteredOn(notice -> notice.body().contains("\"" + preview + "\""))
                    .filteredOn(notice -> notice.event().equals("deployment.succeeded"))
                    .singleElement()
                    .satisfies(notice -> assertThat(notice.body()).contains("\"branch\":\"" + FEATURE + "\""));
        }

        // A month later: one nightly run for the 24 missed, the one-off deployment purged, old sources removed.
        CLOCK.advance(Duration.ofDays(24));
        String afterTheMonth = awaitScheduledRun(everyDeployment);
        build(afterTheMonth);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> api.get("/deployments/" + oneOff).statusCode() == 410);
        assertThat(history()).hasSize(KEEP).first().isEqualTo(afterTheMonth);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> kept.subList(1, KEEP).stream()
                        .allMatch(id -> servers.keys(ObjectKeys.sources(new DeploymentId(id)))
                                .isEmpty()));
        assertThat(servers.keys(ObjectKeys.sources(new DeploymentId(afterTheMonth))))
                .isNotEmpty();
        assertThat(servers.redis().hget("project:shop:schedule", "lastRun")).isEqualTo("deployed " + afterTheMonth);
    }

    /** Adds a webhook of the project's at {@code path} of the receiver, for {@code events} (all when empty). */
    private String notifyAt(String path, List<String> events) {
        Map<String, Object> target = new java.util.HashMap<>(Map.of("type", "webhook", "url", NOTICES.url(path)));
        if (!events.isEmpty()) {
            target.put("events", events);
        }
        HttpResponse<String> added = new ApiClient(port, null).post("/projects/shop/notifications", target);
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        return read(added).get("secret").asString();
    }

    /** The deployment the schedule starts once its time has come, fetched and queued. */
    private String awaitScheduledRun(List<String> before) {
        String run = await().atMost(Duration.ofSeconds(20))
                .until(() -> history().get(0), newest -> !before.contains(newest));
        servers.awaitStatus(run, "uploaded");
        return run;
    }

    /** Waits for retention's sweep to leave the project exactly {@link #retained} of its deployments. */
    private void awaitRetained(List<String> everyDeployment) {
        Set<String> retained = retained(everyDeployment);
        await().atMost(Duration.ofSeconds(20)).until(() -> Set.copyOf(history()).equals(retained));
    }

    /** What retention keeps of the project: its newest {@link #KEEP} and whatever its site and preview serve. */
    private Set<String> retained(List<String> everyDeployment) {
        Set<String> retained = new HashSet<>(
                everyDeployment.subList(Math.max(0, everyDeployment.size() - KEEP), everyDeployment.size()));
        retained.add(servedBySite());
        if (servedByPreview() != null) {
            retained.add(servedByPreview());
        }
        return retained;
    }

    private String servedByPreview() {
        return servers.redis().hget("aliases", cart.label());
    }

    /** GitHub's push of a deleted branch. */
    private static String deletionOf(String url, String branch) {
        Map<String, Object> payload =
                new java.util.HashMap<>(GitHubDeliveries.pushPayload(url, branch, "1".repeat(40), "0".repeat(40)));
        payload.put("deleted", true);
        return ApiClient.json(payload);
    }

    private List<String> history() {
        return projects.history(shop, 100).stream().map(DeploymentId::value).toList();
    }

    private String servedBySite() {
        return projects.aliasTarget(shop).map(DeploymentId::value).orElse(null);
    }

    /** What a deploy-service replica does with a queued deployment of static files, through the same moves. */
    private void build(String id) {
        servers.awaitStatus(id, "uploaded");
        DeploymentId deployment = new DeploymentId(id);
        servers.redis().lmove("build-queue", "build-queue:processing:week-builder", LMoveArgs.Builder.rightLeft());
        assertThat(builder.start(deployment, "week-builder").moved()).isTrue();
        put(ObjectKeys.site(deployment) + "index.html", servers.text(ObjectKeys.sources(deployment) + "index.html"));
        put(ObjectKeys.log(deployment), "$ nothing to build\n");
        assertThat(builder.deploy(deployment, "week-builder").moved()).isTrue();
        servers.redis().lrem("build-queue:processing:week-builder", 0, id);
        Map<String, String> record = servers.redis().hgetall("deployment:" + id);
        String project = record.get("project");
        if (project != null && record.get("preview") != null) {
            PreviewAlias preview = new PreviewAlias(new ProjectName(project), record.get("ref"), record.get("preview"));
            assertThat(previews.promote(preview, deployment)).isTrue();
            awaitNotice(id, "deployment.succeeded");
        } else if (project != null) {
            projects.promote(new ProjectName(project), deployment);
            awaitNotice(id, "deployment.succeeded");
        }
    }

    /**
     * Waits for the notice before the clock moves on: a delivery in flight when the clock jumps hours ahead would
     * see its lease lapse and be sent again.
     */
    private static void awaitNotice(String id, String event) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> NOTICES.of("/every-event", id).contains(event));
    }

    /** A build that fails, as a replica records it. */
    private void fail(String id) {
        servers.awaitStatus(id, "uploaded");
        DeploymentId deployment = new DeploymentId(id);
        servers.redis().lmove("build-queue", "build-queue:processing:week-builder", LMoveArgs.Builder.rightLeft());
        assertThat(builder.start(deployment, "week-builder").moved()).isTrue();
        put(ObjectKeys.log(deployment), "$ npm run build\nSyntaxError\n");
        assertThat(builder.fail(deployment, "build failed: `npm run build` exited with code 1")
                        .moved())
                .isTrue();
        servers.redis().lrem("build-queue:processing:week-builder", 0, id);
        awaitNotice(id, "deployment.failed");
    }

    private static void put(String key, String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        servers.storage()
                .putAll(List.of(new ObjectUpload(key, body.length, "text/html", () -> new ByteArrayInputStream(body))));
    }

    static Clock movedClock() {
        return CLOCK;
    }
}
