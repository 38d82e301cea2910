package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.testing.PipelineServers;
import dev.deploypipeline.testing.TestRepository;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code POST /deploy} of a named branch for a project that has no {@code branch} of its own, and so follows the
 * repository's default branch: the fetch learns which branch that is (HEAD's symref, as the git server advertises
 * it), and a deployment of that branch builds the project's site, as one without {@code branch} does; any other
 * branch builds its preview. A webhook push is decided the same way: its payload's {@code default_branch} is
 * whatever its signer wrote, and the one secret signs pushes of every repository.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "api.token=" + DefaultBranchDeployTest.TOKEN,
            "github.webhook-secret=" + DefaultBranchDeployTest.SECRET
        })
class DefaultBranchDeployTest extends RunningApi {

    static final String TOKEN = "default-branch-test-token";
    static final String SECRET = "default-branch-webhook-secret";

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    DefaultBranchDeployTest() {
        super(TOKEN, SECRET);
    }

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry);
    }

    @Test
    void theRepositorysDefaultBranchNamedForAProjectWithNoBranchBuildsItsSiteThoughItMakesNoPreviews() {
        TestRepository repository = servers.git().repository("shop").file("index.html", "production");
        repository.commit("production");
        repository.branch("next").file("index.html", "next").commit("next");
        repository.branch("main");
        createProject("shop", Map.of());

        HttpResponse<String> deployed = api.post("/deploy", Map.of("project", "shop", "branch", "main"));

        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(202);
        String id = read(deployed).get("id").asString();
        servers.awaitStatus(id, "uploaded");
        assertThat(servers.redis().hgetall("deployment:" + id))
                .containsEntry("ref", "main")
                .doesNotContainKey("preview")
                .doesNotContainKey("error");
        assertThat(api.get("/deployments/" + id).body()).doesNotContain("\"preview\"");
        assertThat(servers.text("output/" + id + "/index.html")).isEqualTo("production");
        assertThat(servers.redis().lrange("build-queue", 0, -1)).contains(id);
    }

    @Test
    void aPreviewClaimedForTheDefaultBranchIsGivenUpOnceTheFetchFindsItBuildsTheSite() {
        TestRepository repository = servers.git().repository("blog").file("index.html", "blog");
        repository.commit("blog");
        repository.branch("next").file("index.html", "next").commit("next");
        repository.branch("main");
        createProject("blog", Map.of("previewBranches", "all"));

        String site = api.deploy(Map.of("project", "blog", "branch", "main"));
        String preview = api.deploy(Map.of("project", "blog", "branch", "next"));

        servers.awaitStatus(site, "uploaded");
        servers.awaitStatus(preview, "uploaded");
        assertThat(servers.redis().hget("deployment:" + site, "preview")).isNull();
        assertThat(servers.redis().hget("deployment:" + preview, "preview")).isEqualTo("next--blog");
        assertThat(servers.redis().hgetall("project:blog:previews"))
                .containsOnlyKeys("next--blog")
                .containsEntry("next--blog", "next");
        assertThat(servers.redis().hget("aliases", "main--blog")).isNull();
        assertThat(api.getJson("/projects/blog").get("previews")).hasSize(1);
        assertThat(servers.text("output/" + preview + "/index.html")).isEqualTo("next");
    }

    @Test
    void anotherBranchThatPreviewBranchesLeaveOutFailsOnceTheFetchFindsItIsNotTheDefault() {
        TestRepository repository = servers.git().repository("docs").file("index.html", "docs");
        repository.commit("docs");
        repository.branch("fix-typo").file("index.html", "fixed").commit("fixed");
        repository.branch("wip").file("index.html", "wip").commit("wip");
        repository.branch("main");
        createProject("docs", Map.of("previewBranches", List.of("fix-*")));

        String fix = api.deploy(Map.of("project", "docs", "branch", "fix-typo"));
        String wip = api.deploy(Map.of("project", "docs", "branch", "wip"));

        servers.awaitStatus(fix, "uploaded");
        assertThat(servers.redis().hget("deployment:" + fix, "preview")).isEqualTo("fix-typo--docs");
        servers.awaitStatus(wip, "failed");
        assertThat(servers.redis().hget("deployment:" + wip, "error"))
                .contains("no preview of branch wip")
                .contains("the repository's default branch is main");
        assertThat(servers.keys("output/" + wip + "/")).isEmpty();
        assertThat(servers.redis().lrange("build-queue", 0, -1)).contains(fix).doesNotContain(wip);
    }

    @Test
    void withNoDefaultBranchAdvertisedANamedBranchStaysAPreviewAndOneLeftOutFails() throws Exception {
        TestRepository repository = servers.git().repository("detached").file("index.html", "detached");
        String commit = repository.commit("detached");
        detachHead(repository, commit);
        createProject("detached", Map.of("previewBranches", "all"));

        String preview = api.deploy(Map.of("project", "detached", "branch", "main"));

        servers.awaitStatus(preview, "uploaded");
        assertThat(servers.redis().hget("deployment:" + preview, "preview")).isEqualTo("main--detached");
        assertThat(servers.redis().hget("project:detached:previews", "main--detached"))
                .isEqualTo("main");

        assertThat(api.patch("/projects/detached", Map.of("previewBranches", "none"))
                        .statusCode())
                .isEqualTo(200);
        String refused = api.deploy(Map.of("project", "detached", "branch", "main"));

        servers.awaitStatus(refused, "failed");
        assertThat(servers.redis().hget("deployment:" + refused, "error"))
                .contains("no preview of branch main")
                .contains("did not say which branch is its default");
    }

    @Test
    void aSignedPushThatCallsAnotherBranchTheDefaultBuildsNoSiteOfItButWhatTheServersHeadDecides() {
        TestRepository repository = servers.git().repository("victim").file("index.html", "production");
        repository.commit("production");
        String old = repository.branch("old").file("index.html", "defaced").commit("defaced");
        repository.branch("main");
        createProject("victim", Map.of());
        createProject(
                "victim-previews",
                Map.of("previewBranches", "all"),
                servers.git().url("victim"));
        Map<String, Object> payload =
                new HashMap<>(GitHubDeliveries.pushPayload(servers.git().url("victim"), "old", old));
        @SuppressWarnings("unchecked")
        Map<String, Object> claimed = new HashMap<>((Map<String, Object>) payload.get("repository"));
        claimed.put("default_branch", "old");
        payload.put("repository", claimed);

        HttpResponse<String> pushed =
                github.send("push", UUID.randomUUID().toString(), ApiClient.json(payload), SECRET);

        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(202);
        Map<String, String> byProject = new HashMap<>();
        read(pushed)
                .get("ids")
                .forEach(id ->
                        byProject.put(servers.redis().hget("deployment:" + id.asString(), "project"), id.asString()));
        String site = byProject.get("victim");
        String preview = byProject.get("victim-previews");
        assertThat(awaitFetched(site)).as("no site of victim from branch old").isEqualTo("failed");
        assertThat(servers.redis().hget("deployment:" + site, "error"))
                .contains("no preview of branch old")
                .contains("the repository's default branch is main");
        assertThat(servers.keys("output/" + site + "/")).isEmpty();
        assertThat(awaitFetched(preview)).isEqualTo("uploaded");
        assertThat(servers.redis().hget("deployment:" + preview, "preview")).isEqualTo("old--victim-previews");
        assertThat(servers.redis().lrange("build-queue", 0, -1))
                .contains(preview)
                .doesNotContain(site);
    }

    /** The state a deployment reaches once its fetch has ended: {@code uploaded}, or {@code failed}. */
    private static String awaitFetched(String id) {
        return await().atMost(Duration.ofSeconds(30))
                .until(() -> servers.redis().hget("status", id), now -> "uploaded".equals(now) || "failed".equals(now));
    }

    @Test
    void aProjectWithABranchStillAnswers409ForABranchItMakesNoPreviewOf() {
        TestRepository repository = servers.git().repository("own").file("index.html", "own");
        repository.commit("own");
        repository.branch("wip").file("index.html", "wip").commit("wip");
        Map<String, Object> body =
                new HashMap<>(Map.of("name", "own", "repoUrl", servers.git().url("own")));
        body.put("branch", "main");
        assertThat(api.post("/projects", body).statusCode()).isEqualTo(201);

        // HEAD names wip now, yet the project's own branch decides, at once.
        HttpResponse<String> refused = api.post("/deploy", Map.of("project", "own", "branch", "wip"));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(read(refused).get("detail").asString()).contains("no preview of branch wip");
    }

    /** HEAD at the commit itself, not at a branch: the server then advertises no symref for it. */
    private static void detachHead(TestRepository repository, String commit) throws IOException, GitAPIException {
        try (Git git = Git.open(repository.workTree().toFile())) {
            git.checkout().setName(commit).call();
        }
    }

    /** A project with no {@code branch}: it follows the repository's default branch. */
    private void createProject(String name, Map<String, Object> settings) {
        createProject(name, settings, servers.git().url(name));
    }

    private void createProject(String name, Map<String, Object> settings, String repoUrl) {
        Map<String, Object> body = new HashMap<>(settings);
        body.put("name", name);
        body.put("repoUrl", repoUrl);
        HttpResponse<String> response = api.post("/projects", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }
}
