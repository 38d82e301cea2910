package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.testing.PipelineServers;
import dev.deploypipeline.testing.TestRepository;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * branch builds its preview.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "api.token=" + DefaultBranchDeployTest.TOKEN)
class DefaultBranchDeployTest extends RunningApi {

    static final String TOKEN = "default-branch-test-token";

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    DefaultBranchDeployTest() {
        super(TOKEN);
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
        Map<String, Object> body = new HashMap<>(settings);
        body.put("name", name);
        body.put("repoUrl", servers.git().url(name));
        HttpResponse<String> response = api.post("/projects", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }
}
