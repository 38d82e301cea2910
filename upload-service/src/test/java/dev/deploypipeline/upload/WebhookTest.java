package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.project.PreviewBranches;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.testing.PipelineServers;
import dev.deploypipeline.testing.TestRepository;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Projects, and GitHub pushes that deploy them, through the real HTTP API. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "api.token=" + WebhookTest.TOKEN,
            "github.webhook-secret=" + WebhookTest.WEBHOOK_SECRET,
            "git.allow-credentials=true"
        })
@ExtendWith(OutputCaptureExtension.class)
class WebhookTest extends RunningApi {

    static final String TOKEN = "projects-token-2b7d";
    static final String WEBHOOK_SECRET = "webhook-secret-9a4c";

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    WebhookTest() {
        super(TOKEN, WEBHOOK_SECRET);
    }

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry);
    }

    @Test
    void aProjectIsCreatedThenReplacedAndShownWithTheNamesOfItsVariablesOnly() {
        String withCredentials = servers.git().url("shop").replace("http://", "http://ci:pa55word@");

        HttpResponse<String> created = api.post(
                "/projects",
                Map.of(
                        "name",
                        "shop",
                        "repoUrl",
                        withCredentials,
                        "branch",
                        "main",
                        "buildCommand",
                        "npm run build",
                        "env",
                        Map.of("STRIPE_KEY", "sk_live_value")));
        HttpResponse<String> replaced = api.post(
                "/projects",
                Map.of(
                        "name",
                        "shop",
                        "repoUrl",
                        servers.git().url("shop"),
                        "branch",
                        "release",
                        "outputDirectory",
                        "dist",
                        "spaFallback",
                        true,
                        "env",
                        Map.of("STRIPE_KEY", "sk_live_value", "API_URL", "https://api")));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/projects/shop");
        assertThat(replaced.statusCode()).isEqualTo(200);
        JsonNode shown = api.getJson("/projects/shop");
        assertThat(shown.get("repoUrl").asString()).isEqualTo(servers.git().url("shop"));
        assertThat(shown.get("branch").asString()).isEqualTo("release");
        assertThat(shown.get("outputDirectory").asString()).isEqualTo("dist");
        assertThat(shown.has("buildCommand")).isFalse();
        assertThat(shown.get("spaFallback").asBoolean()).isTrue();
        assertThat(shown.get("env").toString()).isEqualTo("[\"API_URL\",\"STRIPE_KEY\"]");
        assertThat(shown.get("createdAt").asString())
                .isEqualTo(read(created).get("createdAt").asString());
        String everything =
                created.body() + replaced.body() + shown + servers.redis().hgetall("project:shop");
        assertThat(created.body() + replaced.body() + shown).doesNotContain("sk_live_value");
        assertThat(everything).doesNotContain("pa55word");
    }

    @Test
    void aSignedPushDeploysTheProjectAtThePushedCommitAndAnswersAtOnce() {
        TestRepository repository = servers.git().repository("blog").file("index.html", "first post");
        String commit = repository.commit("first post");
        createProject("blog", "main");

        long started = System.nanoTime();
        HttpResponse<String> response = github.push(servers.git().url("blog"), "main", commit);
        Duration answeredIn = Duration.ofNanos(System.nanoTime() - started);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(answeredIn).isLessThan(Duration.ofSeconds(5));
        String id = read(response).get("id").asString();
        servers.awaitStatus(id, "uploaded");
        assertThat(servers.redis().hgetall("deployment:" + id))
                .containsEntry("commit", commit)
                .containsEntry("project", "blog")
                .containsEntry("ref", "main");
        assertThat(servers.text("output/" + id + "/index.html")).isEqualTo("first post");
        assertThat(servers.redis().zrange("project:blog:deployments", 0, -1)).contains(id);
    }

    @Test
    void aForgedPushDeploysNothing() {
        String commit =
                servers.git().repository("forged").file("index.html", "x").commit("x");
        createProject("forged", "main");
        long before = servers.redis().hlen("status");

        HttpResponse<String> response =
                new GitHubDeliveries(api, "a-guessed-secret").push(servers.git().url("forged"), "main", commit);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(servers.redis().hlen("status")).isEqualTo(before);
        assertThat(servers.redis().zcard("project:forged:deployments")).isZero();
    }

    @Test
    void aRepeatedDeliveryCreatesNothingNew() {
        String payload = pushToANewProject("replayed");

        HttpResponse<String> first = github.send("push", "delivery-42", payload, WEBHOOK_SECRET);
        long after = servers.redis().hlen("status");
        HttpResponse<String> again = github.send("push", "delivery-42", payload, WEBHOOK_SECRET);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(servers.redis().hlen("status")).isEqualTo(after);
        assertThat(servers.redis().ttl("github-delivery:delivery-42")).isPositive();
        servers.awaitStatus(read(first).get("id").asString(), "uploaded");
    }

    @Test
    void aCapturedPushReplayedUnderANewDeliveryIdDeploysNothing() {
        String payload = pushToANewProject("captured");

        HttpResponse<String> first = github.send("push", "delivery-original", payload, WEBHOOK_SECRET);
        long after = servers.redis().hlen("status");
        HttpResponse<String> replayed = github.send("push", "delivery-forged-1", payload, WEBHOOK_SECRET);
        HttpResponse<String> again = github.send("push", "delivery-forged-2", payload, WEBHOOK_SECRET);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        for (HttpResponse<String> response : List.of(replayed, again)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(read(response).has("id")).isFalse();
            assertThat(read(response).get("message").asString()).contains("ignored", "deployed already");
        }
        assertThat(servers.redis().hlen("status")).isEqualTo(after);
        assertThat(servers.redis().zcard("project:captured:deployments")).isEqualTo(1);
        String pushKey = servers.redis().keys("github-push:*captured*").get(0);
        assertThat(servers.redis().ttl(pushKey))
                .isBetween(Duration.ofDays(29).toSeconds(), Duration.ofDays(30).toSeconds());
        servers.awaitStatus(read(first).get("id").asString(), "uploaded");
    }

    @Test
    void aBranchForcedBackToAnEarlierCommitIsANewPushAndDeploys() {
        TestRepository repository = servers.git().repository("forced").file("index.html", "one");
        String one = repository.commit("one");
        String two = repository.file("index.html", "two").commit("two");
        createProject("forced", "main");
        String url = servers.git().url("forced");

        List<HttpResponse<String>> pushes = List.of(
                github.send(
                        "push",
                        "forced-1",
                        ApiClient.json(GitHubDeliveries.pushPayload(url, "main", "0".repeat(40), one)),
                        WEBHOOK_SECRET),
                github.send(
                        "push",
                        "forced-2",
                        ApiClient.json(GitHubDeliveries.pushPayload(url, "main", one, two)),
                        WEBHOOK_SECRET),
                github.send(
                        "push",
                        "forced-3",
                        ApiClient.json(GitHubDeliveries.pushPayload(url, "main", two, one)),
                        WEBHOOK_SECRET));

        assertThat(pushes)
                .allSatisfy(response ->
                        assertThat(response.statusCode()).as(response.body()).isEqualTo(202));
        assertThat(servers.redis().zcard("project:forced:deployments")).isEqualTo(3);
    }

    @Test
    void aDeliveryWithoutAWellFormedSignatureOrOverItsLimitIsRefusedBeforeItsBodyIsSent() throws IOException {
        String unsigned = rawDelivery("X-GitHub-Delivery: raw-1\r\nContent-Length: 50000000\r\n");
        String badlySigned = rawDelivery("X-Hub-Signature-256: sha256=not-hex\r\nContent-Length: 50000000\r\n");
        String oversized =
                rawDelivery("X-Hub-Signature-256: sha256=" + "0".repeat(64) + "\r\nContent-Length: 50000000\r\n");

        assertThat(unsigned).startsWith("HTTP/1.1 401");
        assertThat(badlySigned).startsWith("HTTP/1.1 401");
        assertThat(oversized).startsWith("HTTP/1.1 413");
    }

    /** Sends a push delivery's headers, and none of the body they announce; the status line of the answer. */
    private String rawDelivery(String headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("POST /webhooks/github HTTP/1.1\r\nHost: localhost\r\n"
                                    + "Content-Type: application/json\r\nX-GitHub-Event: push\r\n" + headers + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    @Test
    void pushesToOtherBranchesTagsAndUnknownRepositoriesAreAcknowledgedAndIgnored() {
        String commit = servers.git().repository("docs").file("index.html", "x").commit("x");
        createProject("docs", "main");
        long before = servers.redis().hlen("status");

        HttpResponse<String> otherBranch = github.push(servers.git().url("docs"), "feature", commit);
        HttpResponse<String> unknown = github.push("https://github.com/someone/else", "main", commit);
        HttpResponse<String> tag = github.send(
                "push",
                "tag-delivery",
                ApiClient.json(Map.of(
                        "ref",
                        "refs/tags/v1",
                        "after",
                        commit,
                        "repository",
                        Map.of("clone_url", servers.git().url("docs")))),
                WEBHOOK_SECRET);
        HttpResponse<String> ping =
                github.send("ping", "ping-delivery", "{\"zen\":\"Design for failure.\"}", WEBHOOK_SECRET);
        HttpResponse<String> issue = github.send("issues", "issue-delivery", "{}", WEBHOOK_SECRET);

        for (HttpResponse<String> response : List.of(otherBranch, unknown, tag, ping, issue)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(read(response).has("id")).isFalse();
            assertThat(read(response).get("message").asString()).isNotBlank();
        }
        assertThat(read(ping).get("message").asString()).isEqualTo("pong");
        assertThat(read(otherBranch).get("message").asString())
                .contains("ignored")
                .contains("feature");
        assertThat(servers.redis().hlen("status")).isEqualTo(before);
    }

    @Test
    void aBurstOfPushesLeavesOnlyTheLatestQueuedAndTheRestCancelledAsSuperseded() {
        TestRepository repository = servers.git().repository("busy").file("index.html", "0");
        repository.commit("0");
        createProject("busy", "main");
        List<String> ids = new ArrayList<>();

        for (int push = 1; push <= 5; push++) {
            String commit =
                    repository.file("index.html", Integer.toString(push)).commit(Integer.toString(push));
            HttpResponse<String> response = github.push(servers.git().url("busy"), "main", commit);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            ids.add(read(response).get("id").asString());
        }

        String latest = ids.get(4);
        servers.awaitStatus(latest, "uploaded");
        for (int i = 0; i < 4; i++) {
            String older = ids.get(i);
            assertThat(servers.redis().hget("status", older)).isEqualTo("cancelled");
            assertThat(servers.redis().hget("deployment:" + older, "error"))
                    .isEqualTo("superseded by " + ids.get(i + 1));
        }
        assertThat(servers.redis().lrange("build-queue", 0, -1))
                .containsOnlyOnce(latest)
                .doesNotContainAnyElementsOf(ids.subList(0, 4));
        assertThat(servers.text("output/" + latest + "/index.html")).isEqualTo("5");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> ids.subList(0, 4)
                        .forEach(older -> assertThat(servers.keys("output/" + older + "/"))
                                .isEmpty()));
    }

    @Test
    void aPushSupersedesAWaitingDeploymentOfItsBranchThatNamedTheBranchAsAFullRef() {
        TestRepository repository = servers.git().repository("named").file("index.html", "0");
        repository.commit("0");
        createProject("named", "main");
        HttpResponse<String> submitted = api.post(
                "/deploy", Map.of("repoUrl", servers.git().url("named"), "ref", "refs/heads/main", "project", "named"));
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        String waiting = read(submitted).get("id").asString();
        servers.awaitStatus(waiting, "uploaded");

        String commit = repository.file("index.html", "1").commit("1");
        HttpResponse<String> pushed = github.push(servers.git().url("named"), "main", commit);

        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(202);
        String latest = read(pushed).get("id").asString();
        servers.awaitStatus(latest, "uploaded");
        assertThat(servers.redis().hget("status", waiting)).isEqualTo("cancelled");
        assertThat(servers.redis().hget("deployment:" + waiting, "error")).isEqualTo("superseded by " + latest);
        assertThat(servers.redis().lrange("build-queue", 0, -1))
                .contains(latest)
                .doesNotContain(waiting);
    }

    @Test
    void aPushOfACommitTheBranchHasMovedPastDeploysTheBranchAsItIsNowAndSaysSo(CapturedOutput output) {
        TestRepository repository = servers.git().repository("moving").file("index.html", "old");
        String pushed = repository.commit("old");
        String now = repository.file("index.html", "new").commit("new");
        createProject("moving", "main");

        HttpResponse<String> response = github.push(servers.git().url("moving"), "main", pushed);

        String id = read(response).get("id").asString();
        servers.awaitStatus(id, "uploaded");
        assertThat(servers.redis().hget("deployment:" + id, "commit")).isEqualTo(now);
        assertThat(output.getAll()).contains("The push announced commit " + pushed + ", but main points at " + now);
    }

    @Test
    void aProjectWhoseBranchIsGivenAsAFullRefKeepsItShortAndGetsItsSiteFromPushes() {
        String commit =
                servers.git().repository("full-ref").file("index.html", "x").commit("x");
        createProject("full-ref", "refs/heads/main");

        HttpResponse<String> response = github.push(servers.git().url("full-ref"), "main", commit);

        assertThat(api.getJson("/projects/full-ref").get("branch").asString()).isEqualTo("main");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(servers.redis().hget("deployment:" + read(response).get("id").asString(), "preview"))
                .as("the site's build, not a preview")
                .isNull();
    }

    @Test
    void aProjectStoredWithItsBranchAsAFullRefStillGetsItsSiteFromPushes() {
        String commit =
                servers.git().repository("stored-ref").file("index.html", "x").commit("x");
        servers.projects()
                .save(new Project(
                        new ProjectName("stored-ref"),
                        servers.git().url("stored-ref"),
                        "refs/heads/main",
                        BuildSettings.NONE,
                        false,
                        Instant.now(),
                        PreviewBranches.ALL));

        HttpResponse<String> response = github.push(servers.git().url("stored-ref"), "main", commit);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(servers.redis().hget("deployment:" + read(response).get("id").asString(), "preview"))
                .as("the site's build, not a preview of main")
                .isNull();
    }

    @Test
    void aSignedPushWhosePayloadIsNotAnObjectIsRefusedWith400() {
        for (String payload : List.of("null", "[]", "\"main\"")) {
            HttpResponse<String> refused =
                    github.send("push", java.util.UUID.randomUUID().toString(), payload, WEBHOOK_SECRET);

            assertThat(refused.statusCode()).as(payload + ": " + refused.body()).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
    }

    @Test
    void aPushWhoseRefGitWouldRefuseIsAnswered400AndDeploysNothingNorReachesTheLog(CapturedOutput output) {
        String commit =
                servers.git().repository("odd-refs").file("index.html", "x").commit("x");
        HttpResponse<String> created = api.post(
                "/projects",
                Map.of("name", "odd-refs", "repoUrl", servers.git().url("odd-refs"), "previewBranches", "all"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long before = servers.redis().hlen("status");

        for (String ref : List.of(
                "refs/heads/" + "x".repeat(300),
                "refs/heads/fix\nINJECTED log line",
                "refs/heads/a..b",
                "refs/heads/a b",
                "refs/tags/v1..2",
                "refs/pull/1/head",
                "main")) {
            Map<String, Object> payload =
                    new HashMap<>(GitHubDeliveries.pushPayload(servers.git().url("odd-refs"), "main", commit));
            payload.put("ref", ref);

            HttpResponse<String> refused =
                    github.send("push", UUID.randomUUID().toString(), ApiClient.json(payload), WEBHOOK_SECRET);

            assertThat(refused.statusCode()).as(ref + ": " + refused.body()).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(read(refused).get("detail").asString()).contains("ref");
        }
        assertThat(servers.redis().hlen("status")).isEqualTo(before);
        assertThat(servers.redis().zcard("project:odd-refs:deployments")).isZero();
        assertThat(output.getAll()).doesNotContain("INJECTED").doesNotContain("x".repeat(300));
    }

    @Test
    void aProjectBranchThatIsATagOrAnotherRefIsRefused() {
        HttpResponse<String> refused = api.post(
                "/projects",
                Map.of("name", "tag-ref", "repoUrl", servers.git().url("tag-ref"), "branch", "refs/tags/v1"));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("branch names a branch");
    }

    /** A project of a new repository's {@code main}, and the payload of a push of its one commit. */
    private String pushToANewProject(String name) {
        String commit = servers.git().repository(name).file("index.html", "x").commit("x");
        createProject(name, "main");
        return ApiClient.json(GitHubDeliveries.pushPayload(servers.git().url(name), "main", commit));
    }

    private void createProject(String name, String branch) {
        HttpResponse<String> response = api.post(
                "/projects", Map.of("name", name, "repoUrl", servers.git().url(name), "branch", branch));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }
}
