package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.project.PreviewAlias;
import dev.deploypipeline.project.PreviewStore;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.testing.PipelineServers;
import dev.deploypipeline.testing.TestRepository;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Branch previews through the real API: a push to another branch of a project that allows it, or {@code POST /deploy}
 * of a branch, builds a deployment for {@code {branch}--{project}}; a deleted branch removes it. The deploy-service's
 * part (pointing the preview at a deployed build) is done here through the shared store.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"api.token=" + BranchPreviewTest.TOKEN, "github.webhook-secret=" + BranchPreviewTest.SECRET})
class BranchPreviewTest extends RunningApi {

    static final String TOKEN = "preview-test-token";
    static final String SECRET = "preview-test-webhook-secret";

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    private final PreviewStore previews = new PreviewStore(servers.connector());

    BranchPreviewTest() {
        super(TOKEN, SECRET);
    }

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry);
    }

    @Test
    void aPushToAnotherBranchBuildsItsPreviewAndADeletedBranchRemovesIt() {
        TestRepository repository = servers.git().repository("shop").file("index.html", "production");
        repository.commit("production");
        String feature =
                repository.branch("feature/cart").file("index.html", "cart").commit("cart");
        createProject("shop", Map.of("previewBranches", "all"));

        HttpResponse<String> pushed = github.push(servers.git().url("shop"), "feature/cart", feature);

        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(202);
        String id = read(pushed).get("id").asString();
        servers.awaitStatus(id, "uploaded");
        assertThat(servers.redis().hgetall("deployment:" + id))
                .containsEntry("ref", "feature/cart")
                .containsEntry("commit", feature)
                .containsEntry("preview", "feature-cart--shop")
                .containsEntry("siteUrl", "http://" + id + ".localhost:3001/");
        assertThat(servers.text("output/" + id + "/index.html")).isEqualTo("cart");
        PreviewAlias preview =
                PreviewAlias.of(new ProjectName("shop"), "feature/cart").orElseThrow();
        deployed(id);
        assertThat(previews.promote(preview, new DeploymentId(id))).isTrue();
        JsonNode shown = api.getJson("/projects/shop").get("previews");
        assertThat(shown).hasSize(1);
        assertThat(shown.get(0).get("branch").asString()).isEqualTo("feature/cart");
        assertThat(shown.get(0).get("alias").asString()).isEqualTo("feature-cart--shop");
        assertThat(shown.get(0).get("url").asString()).isEqualTo("http://feature-cart--shop.localhost:3001/");
        assertThat(shown.get(0).get("deployment").asString()).isEqualTo(id);
        assertThat(servers.redis().hget("aliases", "shop")).isNull();

        HttpResponse<String> deleted =
                github.send("push", UUID.randomUUID().toString(), deletion("shop", "feature/cart", feature), SECRET);

        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(read(deleted).get("message").asString()).contains("removed");
        assertThat(servers.redis().hget("aliases", "feature-cart--shop")).isNull();
        assertThat(api.getJson("/projects/shop").get("previews")).isEmpty();
    }

    @Test
    void aDeletionReplayedUnderANewDeliveryIdRemovesNothingWhileTheBranchDeletedAgainIsRemoved() {
        TestRepository repository = servers.git().repository("replayed").file("index.html", "production");
        repository.commit("production");
        String feature = repository.branch("feature/x").file("index.html", "x").commit("x");
        createProject("replayed", Map.of("previewBranches", "all"));
        PreviewAlias preview =
                PreviewAlias.of(new ProjectName("replayed"), "feature/x").orElseThrow();
        previewed(preview, pushed("replayed", "feature/x", feature));
        String captured = deletion("replayed", "feature/x", feature, "1764650000");
        assertThat(read(github.send("push", UUID.randomUUID().toString(), captured, SECRET))
                        .get("message")
                        .asString())
                .contains("removed");
        // The branch is made again at the same commit: the same move as its first push, at another time.
        HttpResponse<String> made = github.send(
                "push",
                UUID.randomUUID().toString(),
                withPushedAt(
                        GitHubDeliveries.pushPayload(
                                servers.git().url("replayed"), "feature/x", "0".repeat(40), feature),
                        "1764650050"),
                SECRET);
        assertThat(made.statusCode()).as(made.body()).isEqualTo(202);
        String again = read(made).get("id").asString();
        previewed(preview, again);

        HttpResponse<String> replayed = github.send("push", UUID.randomUUID().toString(), captured, SECRET);

        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
        assertThat(read(replayed).get("message").asString()).contains("handled already");
        assertThat(servers.redis().hget("aliases", preview.label())).isEqualTo(again);

        HttpResponse<String> deletedAgain = github.send(
                "push", UUID.randomUUID().toString(), deletion("replayed", "feature/x", feature, "1764650100"), SECRET);

        assertThat(read(deletedAgain).get("message").asString())
                .as(deletedAgain.body())
                .contains("removed");
        assertThat(servers.redis().hget("aliases", preview.label())).isNull();
    }

    /** The deployment, once fetched, built and made the preview's. */
    private void previewed(PreviewAlias preview, String id) {
        servers.awaitStatus(id, "uploaded");
        deployed(id);
        assertThat(previews.promote(preview, new DeploymentId(id))).isTrue();
    }

    @Test
    void aDeletedBranchsWaitingAndRunningBuildsAreCancelledAndNoOtherBranchOrRepositoryLosesOne() {
        TestRepository repository = servers.git().repository("store").file("index.html", "store");
        String production = repository.commit("store");
        String other =
                repository.branch("feature/other").file("index.html", "other").commit("other");
        String first = repository
                .branch("main")
                .branch("feature/pay")
                .file("index.html", "pay")
                .commit("pay");
        createProject("store", Map.of("previewBranches", "all"));
        TestRepository stranger = servers.git().repository("stranger").file("index.html", "stranger");
        stranger.commit("stranger");
        String strangers =
                stranger.branch("feature/pay").file("index.html", "theirs").commit("theirs");
        createProject("stranger", Map.of("previewBranches", "all"));
        String running = pushed("store", "feature/pay", first);
        servers.awaitStatus(running, "uploaded");
        servers.transitions().start(new DeploymentId(running), "");
        String waiting = pushed(
                "store", "feature/pay", repository.file("index.html", "pay 2").commit("pay 2"));
        String otherBranch = pushed("store", "feature/other", other);
        String site = pushed("store", "main", production);
        String otherRepository = pushed("stranger", "feature/pay", strangers);
        for (String id : List.of(waiting, otherBranch, site, otherRepository)) {
            servers.awaitStatus(id, "uploaded");
        }

        HttpResponse<String> deleted =
                github.send("push", UUID.randomUUID().toString(), deletion("store", "feature/pay", first), SECRET);

        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(read(deleted).get("message").asString())
                .contains("removed the preview of feature/pay")
                .contains("cancelled 2 deployments of branch feature/pay");
        for (String id : List.of(running, waiting)) {
            assertThat(servers.redis().hget("status", id)).as(id).isEqualTo("cancelled");
            assertThat(servers.redis().hget("deployment:" + id, "error"))
                    .as(id)
                    .isEqualTo("branch feature/pay was deleted");
        }
        assertThat(servers.redis().lrange("build-queue", 0, -1))
                .doesNotContain(waiting)
                .contains(otherBranch, site, otherRepository);
        for (String id : List.of(otherBranch, site, otherRepository)) {
            assertThat(servers.redis().hget("status", id)).as(id).isEqualTo("uploaded");
        }
        assertThat(servers.keys("output/" + running + "/")).isEmpty();
        assertThat(servers.keys("output/" + waiting + "/")).isEmpty();
        assertThat(servers.text("output/" + otherBranch + "/index.html")).isEqualTo("other");
    }

    @Test
    void previewBranchesChooseWhichBranchesBuildAndTheDefaultIsNone() {
        TestRepository repository = servers.git().repository("docs").file("index.html", "docs");
        repository.commit("docs");
        String fix = repository.branch("fix-typo").file("index.html", "fixed").commit("fixed");
        String wip = repository.branch("wip").file("index.html", "wip").commit("wip");
        createProject("docs", Map.of());
        long before = servers.redis().hlen("status");

        HttpResponse<String> byDefault = github.push(servers.git().url("docs"), "fix-typo", fix);
        assertThat(byDefault.statusCode()).isEqualTo(200);
        assertThat(api.getJson("/projects/docs").get("previewBranches").asString())
                .isEqualTo("none");

        HttpResponse<String> patched = api.patch("/projects/docs", Map.of("previewBranches", List.of("fix-*")));
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(read(patched).get("previewBranches").get(0).asString()).isEqualTo("fix-*");

        HttpResponse<String> matching = github.push(servers.git().url("docs"), "fix-typo", fix);
        HttpResponse<String> other = github.push(servers.git().url("docs"), "wip", wip);

        assertThat(matching.statusCode()).as(matching.body()).isEqualTo(202);
        assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
        assertThat(servers.redis().hlen("status")).isEqualTo(before + 1);
        assertThat(api.deploy(Map.of("project", "docs", "branch", "fix-typo"))).isNotBlank();
        HttpResponse<String> refused = api.post("/deploy", Map.of("project", "docs", "branch", "wip"));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(read(refused).get("detail").asString()).contains("no preview of branch wip");
        for (Object setting : List.of("some", 3, List.of("bad pattern"), List.of(1))) {
            assertThat(api.patch("/projects/docs", Map.of("previewBranches", setting))
                            .statusCode())
                    .as(String.valueOf(setting))
                    .isEqualTo(400);
        }
    }

    @Test
    void deployOfABranchBuildsItsPreviewAndOfTheProjectsBranchItsSite() {
        TestRepository repository = servers.git().repository("blog").file("index.html", "blog");
        repository.commit("blog");
        repository.branch("next").file("index.html", "next").commit("next");
        createProject("blog", Map.of("previewBranches", "all"));

        String preview = api.deploy(Map.of("project", "blog", "branch", "next"));
        String site = api.deploy(Map.of("project", "blog", "branch", "main"));

        assertThat(servers.redis().hget("deployment:" + preview, "preview")).isEqualTo("next--blog");
        assertThat(servers.redis().hget("deployment:" + site, "preview")).isNull();
        assertThat(servers.redis().hget("deployment:" + site, "ref")).isEqualTo("main");
        assertThat(api.get("/deployments/" + preview).body()).contains("\"preview\":\"next--blog\"");
        assertThat(api.get("/deployments/" + site).body()).doesNotContain("\"preview\"");
        servers.awaitStatus(preview, "uploaded");
        assertThat(servers.text("output/" + preview + "/index.html")).isEqualTo("next");
        assertThat(api.post("/deploy", Map.of("project", "blog", "branch", "next", "ref", "next"))
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void aRefNamingAnotherBranchOfAProjectIsDecidedAsABranchIsSoItNeverBuildsTheSite() {
        TestRepository repository = servers.git().repository("gate").file("index.html", "gate");
        repository.commit("gate");
        repository.tag("v1");
        repository.branch("next").file("index.html", "next").commit("next");
        createProject("gate", Map.of()); // previewBranches: none

        HttpResponse<String> fullName = api.post("/deploy", Map.of("project", "gate", "ref", "refs/heads/next"));

        assertThat(fullName.statusCode()).as(fullName.body()).isEqualTo(409);
        assertThat(read(fullName).get("detail").asString()).contains("makes no preview of branch next");
        // A short name may be a branch or a tag: the fetch finds the branch, and fails it for the same reason.
        String shortName = api.deploy(Map.of("project", "gate", "ref", "next"));
        servers.awaitStatus(shortName, "failed");
        assertThat(servers.redis().hget("deployment:" + shortName, "error"))
                .contains("makes no preview of branch next");
        assertThat(servers.redis().hget("deployment:" + shortName, "preview")).isNull();
        assertThat(servers.storage().list("output/" + shortName + "/")).isEmpty();
        // A tag is a release, and the project's own branch is its site, by either name.
        for (String site : List.of("v1", "refs/tags/v1", "main", "refs/heads/main")) {
            String id = api.deploy(Map.of("project", "gate", "ref", site));
            servers.awaitStatus(id, "uploaded");
            assertThat(servers.redis().hget("deployment:" + id, "preview"))
                    .as(site)
                    .isNull();
            assertThat(servers.text("output/" + id + "/index.html")).as(site).isEqualTo("gate");
        }
    }

    @Test
    void aRefNamingABranchThatPreviewBranchesAllowsBuildsItsPreviewAndATagOfTheSameProjectItsSite() {
        TestRepository repository = servers.git().repository("gated").file("index.html", "gated");
        repository.commit("gated");
        repository.tag("v2");
        repository.branch("next").file("index.html", "next").commit("next");
        createProject("gated", Map.of("previewBranches", "all"));

        String fullName = api.deploy(Map.of("project", "gated", "ref", "refs/heads/next"));
        String shortName = api.deploy(Map.of("project", "gated", "ref", "next"));
        String tag = api.deploy(Map.of("project", "gated", "ref", "v2"));

        assertThat(servers.redis().hget("deployment:" + fullName, "preview")).isEqualTo("next--gated");
        for (String preview : List.of(fullName, shortName)) {
            servers.awaitStatus(preview, "uploaded");
            assertThat(servers.redis().hget("deployment:" + preview, "preview")).isEqualTo("next--gated");
            assertThat(servers.text("output/" + preview + "/index.html")).isEqualTo("next");
        }
        servers.awaitStatus(tag, "uploaded");
        assertThat(servers.redis().hget("deployment:" + tag, "preview")).isNull();
        assertThat(servers.text("output/" + tag + "/index.html")).isEqualTo("gated");
        assertThat(previews.previews(new ProjectName("gated")).keySet())
                .as("the label the tag's name claimed until the fetch found a tag is given up")
                .noneMatch(label -> label.startsWith("v2"));
    }

    @Test
    void hostileBranchNamesAreRefusedOrMadeSafeAndCollisionsAreRefused() {
        TestRepository repository = servers.git().repository("site").file("index.html", "site");
        repository.commit("site");
        createProject("site", Map.of("previewBranches", "all"));

        for (String branch : List.of("../x", "a..b", "-rf", "x".repeat(300), "a b", "refs/../../x", "refs/tags/v1")) {
            HttpResponse<String> response = api.post("/deploy", Map.of("project", "site", "branch", branch));
            assertThat(response.statusCode())
                    .as(branch + ": " + response.body())
                    .isEqualTo(400);
        }
        String unicode = api.deploy(Map.of("project", "site", "branch", "fëature"));
        assertThat(servers.redis().hget("deployment:" + unicode, "preview")).isEqualTo("f-ature--site");
        HttpResponse<String> symbolsOnly = api.post("/deploy", Map.of("project", "site", "branch", "日本"));
        assertThat(symbolsOnly.statusCode()).as(symbolsOnly.body()).isEqualTo(400);
        String first = api.deploy(Map.of("project", "site", "branch", "feature/a"));
        HttpResponse<String> colliding = api.post("/deploy", Map.of("project", "site", "branch", "feature-a"));
        assertThat(colliding.statusCode()).as(colliding.body()).isEqualTo(409);
        assertThat(read(colliding).get("detail").asString()).contains("feature/a");
        assertThat(first).isNotBlank();
        HttpResponse<String> previewNamed = api.post(
                "/projects", Map.of("name", "a--site", "repoUrl", servers.git().url("site")));
        assertThat(previewNamed.statusCode()).as(previewNamed.body()).isEqualTo(400);
    }

    private String pushed(String name, String branch, String commit) {
        HttpResponse<String> pushed = github.push(servers.git().url(name), branch, commit);
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(202);
        return read(pushed).get("id").asString();
    }

    private String deletion(String name, String branch, String before) {
        return deletion(name, branch, before, null);
    }

    /** The payload of the branch's deletion, the repository last pushed to at {@code pushedAt} when given. */
    private String deletion(String name, String branch, String before, String pushedAt) {
        Map<String, Object> payload = new java.util.HashMap<>(
                GitHubDeliveries.pushPayload(servers.git().url(name), branch, before, "0".repeat(40)));
        payload.put("deleted", true);
        return pushedAt == null ? ApiClient.json(payload) : withPushedAt(payload, pushedAt);
    }

    /** The payload, its repository last pushed to at {@code pushedAt} (seconds, as GitHub gives it). */
    @SuppressWarnings("unchecked")
    private static String withPushedAt(Map<String, Object> push, String pushedAt) {
        Map<String, Object> payload = new java.util.HashMap<>(push);
        Map<String, Object> repository = new java.util.HashMap<>((Map<String, Object>) payload.get("repository"));
        repository.put("pushed_at", Long.parseLong(pushedAt));
        payload.put("repository", repository);
        return ApiClient.json(payload);
    }

    private static void deployed(String id) {
        DeploymentId deployment = new DeploymentId(id);
        servers.transitions().start(deployment, "");
        servers.transitions().deploy(deployment, "");
    }

    private void createProject(String name, Map<String, Object> settings) {
        Map<String, Object> body = new java.util.HashMap<>(settings);
        body.put("name", name);
        body.put("repoUrl", servers.git().url(name));
        body.put("branch", "main");
        HttpResponse<String> response = api.post("/projects", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }
}
