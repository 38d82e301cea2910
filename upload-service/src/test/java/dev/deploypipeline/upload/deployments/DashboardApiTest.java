package dev.deploypipeline.upload.deployments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the dashboard and {@code deployctl} read besides the records: filtered lists, redeploys, every project,
 * the queue at a glance, and the live feed of moves.
 */
class DashboardApiTest extends RunningService {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String REPO = "http://" + NO_GIT_SERVER + "/site.git";

    private final ProjectStore projects = SERVERS.projects();
    private Instant lastAccepted = Instant.now();

    @Test
    void deploymentsAreFilteredByProjectBranchAndState() throws Exception {
        DeploymentId shopMain = accepted("shop", "main");
        DeploymentId shopDev = accepted("shop", "refs/heads/dev");
        DeploymentId blogMain = accepted("blog", "main");
        transitions.fail(shopMain, "broken");

        assertThat(ids("/deployments?project=shop")).containsExactly(shopDev.value(), shopMain.value());
        assertThat(ids("/deployments?branch=main")).containsExactly(blogMain.value(), shopMain.value());
        assertThat(ids("/deployments?branch=dev")).containsExactly(shopDev.value());
        assertThat(ids("/deployments?state=failed")).containsExactly(shopMain.value());
        assertThat(ids("/deployments?project=shop&state=cloning&branch=dev")).containsExactly(shopDev.value());
        assertThat(ids("/deployments?project=shop&limit=1")).containsExactly(shopDev.value());
        assertThat(JSON.readTree(get("/deployments/" + shopDev).body())
                        .get("branch")
                        .asString())
                .isEqualTo("dev");
        assertThat(get("/deployments?state=sleeping").statusCode()).isEqualTo(400);
    }

    @Test
    void redeployMakesANewDeploymentOfTheSameRepositoryRefProjectAndSettings() throws Exception {
        BuildSettings build = new BuildSettings("web", null, "npm run build:site", null, Map.of("MODE", "production"));
        projects.save(new Project(new ProjectName("shop"), REPO, "main", build, false, Instant.now()));
        DeploymentId earlier = DeploymentId.random();
        transitions.accept(
                Deployment.accepted(earlier, REPO, "main", "shop", build, Instant.now()), Duration.ofMinutes(1));
        transitions.fail(earlier, "broken");

        HttpResponse<String> response = post("/deployments/" + earlier + "/redeploy");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        DeploymentId again =
                new DeploymentId(JSON.readTree(response.body()).get("id").asString());
        assertThat(response.headers().firstValue("Location")).hasValue("/deployments/" + again);
        Deployment redeployed = store.find(again).orElseThrow();
        assertThat(redeployed.repoUrl()).isEqualTo(REPO);
        assertThat(redeployed.ref()).isEqualTo("main");
        assertThat(redeployed.project()).isEqualTo("shop");
        assertThat(redeployed.build()).isEqualTo(build);
        assertThat(post("/deployments/" + DeploymentId.random() + "/redeploy").statusCode())
                .isEqualTo(404);
    }

    @Test
    void aRedeployOfAProjectUsesTheProjectsEnvAsItIsNowNeverTheSecretsTheEarlierBuildWasGiven() throws Exception {
        BuildSettings before = new BuildSettings(
                null, null, "npm run build", null, Map.of("STRIPE_KEY", "sk_live_revoked", "OLD_TOKEN", "removed"));
        BuildSettings now = new BuildSettings(null, null, null, null, Map.of("STRIPE_KEY", "sk_live_rotated"));
        projects.save(new Project(new ProjectName("rotated"), REPO, "main", now, false, Instant.now()));
        DeploymentId earlier = DeploymentId.random();
        transitions.accept(
                Deployment.accepted(earlier, REPO, "main", "rotated", before, Instant.now()), Duration.ofMinutes(1));
        transitions.fail(earlier, "broken");

        HttpResponse<String> response = post("/deployments/" + earlier + "/redeploy");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        Deployment redeployed = store.find(new DeploymentId(
                        JSON.readTree(response.body()).get("id").asString()))
                .orElseThrow();
        assertThat(redeployed.build().env()).containsExactly(Map.entry("STRIPE_KEY", "sk_live_rotated"));
        assertThat(redeployed.build().buildCommand()).isEqualTo("npm run build");
    }

    @Test
    void aRedeployOfAProjectWhoseRepositoryChangedSinceIsRefused() throws Exception {
        String moved = "http://" + NO_GIT_SERVER + "/site-v2.git";
        projects.save(new Project(new ProjectName("moved"), moved, "main", BuildSettings.NONE, false, Instant.now()));
        DeploymentId earlier = DeploymentId.random();
        transitions.accept(
                Deployment.accepted(earlier, REPO, "main", "moved", BuildSettings.NONE, Instant.now()),
                Duration.ofMinutes(1));
        transitions.fail(earlier, "broken");
        long before = SERVERS.redis().hlen("status");

        HttpResponse<String> response = post("/deployments/" + earlier + "/redeploy");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        assertThat(JSON.readTree(response.body()).get("detail").asString()).contains("project moved deploys " + moved);
        assertThat(SERVERS.redis().hlen("status")).isEqualTo(before);
    }

    @Test
    void projectsAreListedWithWhatTheirSitesServe() throws Exception {
        Instant now = Instant.now();
        projects.save(
                new Project(new ProjectName("shop"), REPO, "main", BuildSettings.NONE, false, now.minusSeconds(60)));
        projects.save(new Project(new ProjectName("blog"), REPO, null, BuildSettings.NONE, true, now));

        JsonNode listed = JSON.readTree(get("/projects").body());

        assertThat(StreamSupport.stream(listed.spliterator(), false)
                        .map(p -> p.get("name").asString()))
                .containsExactly("shop", "blog");
        assertThat(listed.get(0).get("branch").asString()).isEqualTo("main");
    }

    @Test
    void queueShowsWhoWaitsWhatEachConsumerBuildsDeadLettersAndTheLastHour() throws Exception {
        DeploymentId built = building("replica-a-w1");
        DeploymentId running = building("replica-b-w1");
        DeploymentId first = uploaded();
        DeploymentId second = uploaded();
        SERVERS.redis().set("build-queue:heartbeat:replica-a-w1", Instant.now().toString());
        SERVERS.redis().set("build-queue:heartbeat:replica-a-w2", Instant.now().toString());
        transitions.deploy(built, "replica-a-w1");
        SERVERS.redis().lrem("build-queue:processing:replica-a-w1", 0, built.value());
        DeploymentId dead = created();
        transitions.fail(dead, "gave up after 3 attempts");
        SERVERS.redis().lpush("build-queue:dead", dead.value());

        JsonNode queue = JSON.readTree(get("/queue").body());

        assertThat(queue.get("length").asLong()).isEqualTo(2);
        assertThat(queue.get("waiting").get(0).get("id").asString()).isEqualTo(first.value());
        assertThat(queue.get("waiting").get(1).get("id").asString()).isEqualTo(second.value());
        assertThat(queue.get("waiting").get(1).get("position").asInt()).isEqualTo(1);
        assertThat(queue.get("building").asInt()).isEqualTo(1);
        JsonNode consumers = queue.get("consumers");
        assertThat(consumers).hasSize(3);
        assertThat(consumers.get(0).get("consumer").asString()).isEqualTo("replica-a-w1");
        assertThat(consumers.get(0).get("replica").asString()).isEqualTo("replica-a");
        assertThat(consumers.get(0).get("alive").asBoolean()).isTrue();
        assertThat(consumers.get(2).get("consumer").asString()).isEqualTo("replica-b-w1");
        assertThat(consumers.get(2).get("alive").asBoolean()).isFalse();
        assertThat(consumers.get(2).get("building").get(0).asString()).isEqualTo(running.value());
        assertThat(queue.get("deadLetters").get(0).get("id").asString()).isEqualTo(dead.value());
        assertThat(queue.get("deadLetters").get(0).get("error").asString()).contains("gave up");
        JsonNode hour = queue.get("lastHour");
        assertThat(hour.get("deployed").asInt()).isEqualTo(1);
        assertThat(hour.get("failed").asInt()).isEqualTo(1);
        assertThat(hour.get("builds").get(0).get("id").asString()).isEqualTo(built.value());
        JsonNode lengths = hour.get("queueLength");
        assertThat(lengths.get(lengths.size() - 1).get("length").asLong()).isEqualTo(2);
        assertThat(lengths.get(0).get("length").asLong()).isZero();
    }

    @Test
    void eventsTellEachMoveLiveAndResumeAfterTheLastEventId() throws Exception {
        SseClient watcher = SseClient.open(uri("/events"), null);
        await().atMost(Duration.ofSeconds(5)).until(() -> watcher.response().statusCode() == 200);
        DeploymentId id = accepted("shop", "main");
        // The watcher may have joined just before or after the first move: it surely gets the next ones.
        transitions.upload(id, "c0ffee");
        transitions.fail(id, "broken");

        await().atMost(Duration.ofSeconds(10)).until(() -> states(watcher, id).contains("failed"));
        SseClient.Event uploaded = watcher.events().stream()
                .filter(event -> event.data().contains("\"state\":\"uploaded\""))
                .findFirst()
                .orElseThrow();
        JsonNode move = JSON.readTree(uploaded.data());
        assertThat(uploaded.name()).isEqualTo("deployment");
        assertThat(move.get("previous").asString()).isEqualTo("cloning");
        assertThat(move.get("project").asString()).isEqualTo("shop");
        watcher.close();

        SseClient resumed = SseClient.open(uri("/events"), uploaded.id());
        await().atMost(Duration.ofSeconds(10)).until(() -> states(resumed, id).contains("failed"));
        assertThat(states(resumed, id)).containsExactly("failed");
        resumed.close();
    }

    private static List<String> states(SseClient client, DeploymentId id) {
        return client.events().stream()
                .map(event -> JSON.readTree(event.data()))
                .filter(move -> move.get("id").asString().equals(id.value()))
                .map(move -> move.get("state").asString())
                .toList();
    }

    /** Accepted a millisecond after the one before, so that the newest-first order never rests on a tie. */
    private DeploymentId accepted(String project, String ref) {
        DeploymentId id = DeploymentId.random();
        lastAccepted = lastAccepted.plusMillis(1);
        transitions.accept(Deployment.accepted(id, REPO, ref, project, lastAccepted), Duration.ofMinutes(1));
        return id;
    }

    private DeploymentId uploaded() {
        DeploymentId id = created();
        transitions.upload(id, "c0ffee");
        return id;
    }

    private List<String> ids(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return StreamSupport.stream(JSON.readTree(response.body()).spliterator(), false)
                .map(deployment -> deployment.get("id").asString())
                .toList();
    }
}
