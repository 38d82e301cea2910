package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.JSON;
import static dev.deploypipeline.upload.ApiClient.read;
import static dev.deploypipeline.upload.ApiClient.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.testing.PipelineServers;
import dev.deploypipeline.testing.TestRepository;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The REST API against a real Redis, S3Proxy and git over HTTP; no API token, credentials in URLs allowed, and
 * {@code FETCH_MAX_SIZE} low enough that a repository bomb is refused before it fills the disk.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"git.allow-credentials=true", "fetch.max-size=16MB"})
@ExtendWith(OutputCaptureExtension.class)
class DeployApiTest {

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    /** In front of the git server, to drop connections on demand. */
    static final ResettingProxy flaky = new ResettingProxy(Integer.parseInt(
            servers.git().hostAndPort().substring(servers.git().hostAndPort().indexOf(':') + 1)));

    @LocalServerPort
    int port;

    private ApiClient api;

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry, "127.0.0.1:" + flaky.port());
        registry.add("FETCH_LEASE_SWEEP_INTERVAL", () -> "500ms");
    }

    @BeforeEach
    void client() {
        api = new ApiClient(port, null);
    }

    @Test
    void aConnectionToTheGitServerThatDropsIsTriedAgain() {
        servers.git().repository("flaky").file("index.html", "<h1>flaky</h1>").commit("site");
        flaky.resetNext(2);

        String id = api.deploy(repo("http://127.0.0.1:" + flaky.port() + "/flaky"));

        servers.awaitStatus(id, "uploaded");
        assertThat(flaky.resetsLeft()).isZero();
        assertThat(servers.text("output/" + id + "/index.html")).isEqualTo("<h1>flaky</h1>");
    }

    @Test
    void aGitServerThatKeepsDroppingTheConnectionFailsTheDeploymentSayingSo() {
        servers.git().repository("always-flaky").file("index.html", "x").commit("site");
        flaky.resetNext(100);

        String id = api.deploy(repo("http://127.0.0.1:" + flaky.port() + "/always-flaky"));

        servers.awaitStatus(id, "failed");
        flaky.resetNext(0);
        assertThat(servers.redis().hget("deployment:" + id, "error")).startsWith("could not fetch");
    }

    @Test
    void operatorListsDeadLettersAndQueuesOneAgain() {
        DeploymentId dead = DeploymentId.random();
        servers.redis().hset("status", dead.value(), "failed");
        servers.redis()
                .hset(
                        "deployment:" + dead,
                        Map.of("status", "failed", "error", "gave up after 3 attempts", "attempts", "4"));
        servers.redis().lpush("build-queue:dead", dead.value());

        assertThat(api.get("/dead-letters").body()).contains(dead.value());
        HttpResponse<String> requeued = api.post("/dead-letters/" + dead + "/requeue", Map.of());

        assertThat(requeued.statusCode()).isEqualTo(200);
        assertThat(servers.redis().lrange("build-queue", 0, -1)).contains(dead.value());
        assertThat(servers.redis().hget("status", dead.value())).isEqualTo("uploaded");
        assertThat(servers.redis().hget("deployment:" + dead, "attempts")).isEqualTo("0");
        assertThat(api.post("/dead-letters/" + dead + "/requeue", Map.of()).statusCode())
                .isEqualTo(404);
        assertThat(api.post("/dead-letters/not-an-id/requeue", Map.of()).statusCode())
                .isEqualTo(400);
    }

    @Test
    void deploymentLeftCloningByAnUploadServiceThatDiedEndsFailed() {
        try (RedisConnector connector = new RedisConnector(servers.redisServer().settings())) {
            DeploymentTransitions transitions = new DeploymentTransitions(connector, Clock.systemUTC());
            DeploymentId orphan = DeploymentId.random();
            // Accepted, and its lease already lapsed: the upload-service that accepted it died at once.
            transitions.accept(
                    Deployment.accepted(orphan, "https://example.com/site.git", null, null, Instant.now()),
                    Duration.ofSeconds(-1));

            servers.awaitStatus(orphan.value(), "failed");

            assertThat(servers.redis().hget("deployment:" + orphan, "error")).contains("stopped before it finished");
            // The sweep removes the lease just after it fails the deployment, not in the same step
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> servers.redis().zscore("cloning-leases", orphan.value()) == null);
        }
    }

    @Test
    void deployAnswersAtOnceThenUploadsEveryFileOfTheCommitAndQueuesTheId() {
        servers.git()
                .repository("static-site")
                .file("index.html", "<h1>hello</h1>")
                .file("css/site.css", "h1 { color: red }")
                .executable("scripts/run.sh", "#!/bin/sh\necho hi\n")
                .symlink("passwd", "/etc/passwd")
                .commit("first");

        HttpResponse<String> response = api.post("/deploy", repo(servers.git().url("static-site")));

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = read(response);
        String id = body.get("id").asString();
        assertThat(body.get("status").asString()).isEqualTo("cloning");
        assertThat(response.headers().firstValue("Location")).contains("/deployments/" + id);

        servers.awaitStatus(id, "uploaded");
        assertThat(servers.keys("output/" + id + "/"))
                .containsExactlyInAnyOrder(
                        "output/" + id + "/index.html",
                        "output/" + id + "/css/site.css",
                        "output/" + id + "/scripts/run.sh");
        assertThat(servers.text("output/" + id + "/css/site.css")).isEqualTo("h1 { color: red }");
        assertThat(servers.redis().lrange("build-queue", 0, -1)).contains(id);
        assertThat(servers.redis().hget("status", id)).isEqualTo("uploaded");

        JsonNode deployment = api.getJson("/deployments/" + id);
        assertThat(deployment.get("commit").asString()).matches("[0-9a-f]{40}");
        assertThat(deployment.get("uploadedAt").asString()).isNotBlank();
        assertThat(deployment.get("queuePosition").asLong()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void aSmallRepositoryWhoseTreesNameOneLargeBlobManyTimesFailsNamingFetchMaxSizeBeforeAnythingIsUploaded()
            throws IOException {
        TestRepository bomb = servers.git().repository("bomb");
        commitTreesNamingOneBlob(bomb, 1024 * 1024, 40, 25); // a few kilobytes that expand to 1000 files of 1 MB

        String id = api.deploy(repo(servers.git().url("bomb")));

        servers.awaitStatus(id, "failed");
        assertThat(servers.redis().hget("deployment:" + id, "error"))
                .isEqualTo("the repository's files hold more than FETCH_MAX_SIZE (16777216 bytes) uncompressed");
        assertThat(servers.keys("output/" + id + "/")).isEmpty();
        assertThat(servers.redis().lrange("build-queue", 0, -1)).doesNotContain(id);
    }

    @Test
    void refSelectsTheBranchToDeploy() {
        var repository = servers.git().repository("branches").file("index.html", "main");
        repository.commit("main");
        repository.branch("preview").file("index.html", "preview").commit("preview");

        String id = api.deploy(Map.of("repoUrl", servers.git().url("branches"), "ref", "preview"));

        servers.awaitStatus(id, "uploaded");
        assertThat(servers.text("output/" + id + "/index.html")).isEqualTo("preview");
    }

    @Test
    void refNamingAnAnnotatedTagDeploysTheCommitItPointsAt() {
        var repository = servers.git().repository("tagged").file("index.html", "v1");
        String tagged = repository.commit("v1");
        repository.tag("v1.0.0").file("index.html", "after").commit("after");

        String id = api.deploy(Map.of("repoUrl", servers.git().url("tagged"), "ref", "v1.0.0"));

        servers.awaitStatus(id, "uploaded");
        assertThat(servers.text("output/" + id + "/index.html")).isEqualTo("v1");
        assertThat(servers.redis().hget("deployment:" + id, "commit")).isEqualTo(tagged);
    }

    @Test
    void refNamingATagOfATreeFailsStoresNothingAndTheNextDeploymentOfTheRepositoryStillWorks() {
        var repository = servers.git().repository("tree-tag").file("index.html", "x");
        repository.commit("x");
        repository.tagOfTree("not-a-commit");

        String id = api.deploy(Map.of("repoUrl", servers.git().url("tree-tag"), "ref", "not-a-commit"));

        servers.awaitStatus(id, "failed");
        // The server refuses a shallow fetch of a tree, and JGit says only that the exchange broke off.
        assertThat(servers.redis().hget("deployment:" + id, "error"))
                .startsWith("could not fetch ")
                .contains(
                        "'refs/tags/not-a-commit' is an annotated tag: a server will not send one shallow when it tags"
                                + " anything but a commit")
                .contains("only a commit is deployed");
        assertThat(servers.keys("output/" + id + "/")).isEmpty();
        String next = api.deploy(repo(servers.git().url("tree-tag")));
        servers.awaitStatus(next, "uploaded");
        assertThat(servers.text("output/" + next + "/index.html")).isEqualTo("x");
    }

    @Test
    void buildSettingsOfTheRequestAreStoredWithTheDeployment() {
        servers.git().repository("with-settings").file("web/index.html", "x").commit("x");

        String id = api.deploy(Map.of(
                "repoUrl",
                servers.git().url("with-settings"),
                "rootDirectory",
                "web",
                "buildCommand",
                "npm run build:prod",
                "outputDirectory",
                "out",
                "env",
                Map.of("API_URL", "https://api")));

        assertThat(servers.redis().hgetall("deployment:" + id))
                .containsEntry("rootDirectory", "web")
                .containsEntry("buildCommand", "npm run build:prod")
                .containsEntry("outputDirectory", "out")
                .containsEntry("env.API_URL", "https://api");
        assertThat(api.get("/deployments/" + id).body()).doesNotContain("https://api");
    }

    @Test
    void aProjectGivesItsRepositoryBranchAndSettingsAndTheRequestWins() {
        var repository = servers.git().repository("project-defaults").file("index.html", "main");
        repository.commit("main");
        repository.branch("live").file("index.html", "live").commit("live");
        HttpResponse<String> created = api.post(
                "/projects",
                Map.of(
                        "name",
                        "defaults",
                        "repoUrl",
                        servers.git().url("project-defaults"),
                        "branch",
                        "live",
                        "buildCommand",
                        "make site",
                        "outputDirectory",
                        "public",
                        "env",
                        Map.of("MODE", "production")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        String id = api.deploy(Map.of("project", "defaults", "outputDirectory", "dist"));

        servers.awaitStatus(id, "uploaded");
        assertThat(servers.text("output/" + id + "/index.html")).isEqualTo("live");
        assertThat(servers.redis().hgetall("deployment:" + id))
                .containsEntry("project", "defaults")
                .containsEntry("ref", "live")
                .containsEntry("buildCommand", "make site")
                .containsEntry("outputDirectory", "dist")
                .containsEntry("env.MODE", "production");
        assertThat(servers.redis().zrange("project:defaults:deployments", 0, -1))
                .containsExactly(id);
    }

    @Test
    void aDeploymentOfAnUnknownProjectIs404AndCreatesNothing() {
        long before = servers.redis().hlen("status");

        HttpResponse<String> response = api.post("/deploy", Map.of("project", "nobody-has-this"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(servers.redis().hlen("status")).isEqualTo(before);
    }

    @Test
    void missingRepositoryEndsFailedWithTheReason() {
        String id = api.deploy(repo(servers.git().url("does-not-exist")));

        servers.awaitStatus(id, "failed");
        JsonNode deployment = api.getJson("/deployments/" + id);
        assertThat(deployment.get("error").asString())
                .contains("could not fetch")
                .contains("does-not-exist");
        assertThat(servers.redis().lrange("build-queue", 0, -1)).doesNotContain(id);
    }

    @Test
    void unknownBranchEndsFailedNamingTheBranch() {
        servers.git().repository("one-branch").file("index.html", "x").commit("x");

        String id = api.deploy(Map.of("repoUrl", servers.git().url("one-branch"), "ref", "nope"));

        servers.awaitStatus(id, "failed");
        assertThat(api.getJson("/deployments/" + id).get("error").asString()).contains("'nope'");
    }

    @Test
    void credentialsInTheUrlAreUsedButNeverShownStoredOrLogged(CapturedOutput output) {
        servers.git().repository("private").file("index.html", "x").commit("x");
        String withCredentials = servers.git().url("private").replace("http://", "http://user:s3cret@");

        String id = api.deploy(repo(withCredentials));

        servers.awaitStatus(id, "uploaded");
        String shown = api.get("/deployments/" + id).body()
                + api.get("/deployments?limit=5").body();
        assertThat(shown).doesNotContain("s3cret").doesNotContain("user:");
        assertThat(servers.redis().hgetall("deployment:" + id).toString()).doesNotContain("s3cret");
        assertThat(output.getAll()).contains(id).doesNotContain("s3cret");
    }

    @Test
    void badJsonGetsAProblemWith400() {
        HttpResponse<String> response = api.post("/deploy", "{\"repoUrl\": ");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(read(response).get("status").asInt()).isEqualTo(400);
    }

    @Test
    void missingOrMalformedRepositoryUrlGets400AndCreatesNothing() {
        long before = servers.redis().hlen("status");

        for (Object body : new Object[] {
            "{}",
            repo(""),
            repo("not a url"),
            repo("ftp://example.com/x.git"),
            Map.of("repoUrl", servers.git().url("x"), "ref", "-x")
        }) {
            HttpResponse<String> response = api.post("/deploy", body);
            assertThat(response.statusCode()).as(ApiClient.json(body)).isEqualTo(400);
            assertThat(read(response).get("detail").asString())
                    .as(ApiClient.json(body))
                    .isNotBlank();
        }

        assertThat(servers.redis().hlen("status")).isEqualTo(before);
    }

    @Test
    void statusOfAMalformedIdIs400AndOfAnUnknownIdIs404() {
        assertThat(api.get("/status?id=..%2F..%2Fetc").statusCode()).isEqualTo(400);
        assertThat(api.get("/status?id=aaaaaaaaaaaaaaaa").statusCode()).isEqualTo(404);
        assertThat(api.get("/deployments/NOT-AN-ID").statusCode()).isEqualTo(400);
        assertThat(api.get("/deployments/aaaaaaaaaaaaaaaa").statusCode()).isEqualTo(404);
    }

    @Test
    void statusAnswersTheSameWordAsTheStatusHash() {
        servers.git().repository("status-word").file("index.html", "x").commit("x");
        String id = api.deploy(repo(servers.git().url("status-word")));

        servers.awaitStatus(id, "uploaded");

        assertThat(api.getJson("/status?id=" + id).get("status").asString())
                .isEqualTo(servers.redis().hget("status", id));
    }

    @Test
    void deploymentsAreListedNewestFirst() {
        String first = api.deploy(repo(servers.git().url("missing-a")));
        String second = api.deploy(repo(servers.git().url("missing-b")));

        JsonNode list = api.getJson("/deployments?limit=2");

        assertThat(list.get(0).get("id").asString()).isEqualTo(second);
        assertThat(list.get(1).get("id").asString()).isEqualTo(first);
        assertThat(api.get("/deployments?limit=0").statusCode()).isEqualTo(400);
    }

    @Test
    void aFullQueueAnswers429WithRetryAfterAndCreatesNothing() {
        String[] waiting = Collections.nCopies(1000, "zzzzzzzzzzzzzzzz").toArray(String[]::new);
        servers.redis().lpush("build-queue", waiting);
        long before = servers.redis().hlen("status");
        try {
            HttpResponse<String> response =
                    api.post("/deploy", repo(servers.git().url("static-site")));

            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("30");
            assertThat(read(response).get("detail").asString()).contains("waiting");
            assertThat(servers.redis().hlen("status")).isEqualTo(before);
        } finally {
            servers.redis().lrem("build-queue", 0, "zzzzzzzzzzzzzzzz");
        }
    }

    @Test
    void withoutASecretTheWebhookIsOff() {
        Map<String, Object> ping = new LinkedHashMap<>(Map.of("zen", "hello"));

        HttpResponse<String> response = api.send(api.request("/webhooks/github")
                .header("X-GitHub-Event", "ping")
                .header("X-GitHub-Delivery", "d-1")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(ping))));

        assertThat(response.statusCode()).isEqualTo(404);
    }

    /**
     * Commits, on {@code main}, {@code folders} folders that are each the same tree of {@code files} names for one
     * blob of {@code blobSize} zeros: the repository holds one compressed blob and two small trees.
     */
    private static void commitTreesNamingOneBlob(TestRepository repository, int blobSize, int folders, int files)
            throws IOException {
        try (Repository git = new FileRepositoryBuilder()
                        .setWorkTree(repository.workTree().toFile())
                        .build();
                ObjectInserter inserter = git.newObjectInserter()) {
            ObjectId blob = inserter.insert(Constants.OBJ_BLOB, new byte[blobSize]);
            TreeFormatter folder = new TreeFormatter();
            for (int file = 0; file < files; file++) {
                folder.append("file-%03d.bin".formatted(file), FileMode.REGULAR_FILE, blob);
            }
            ObjectId folderTree = inserter.insert(folder);
            TreeFormatter root = new TreeFormatter();
            for (int n = 0; n < folders; n++) {
                root.append("folder-%03d".formatted(n), FileMode.TREE, folderTree);
            }
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(inserter.insert(root));
            commit.setAuthor(new PersonIdent("Test", "test@example.com"));
            commit.setCommitter(commit.getAuthor());
            commit.setMessage("a bomb");
            ObjectId commitId = inserter.insert(commit);
            inserter.flush();
            RefUpdate main = git.updateRef("refs/heads/main");
            main.setNewObjectId(commitId);
            assertThat(main.forceUpdate()).isIn(RefUpdate.Result.NEW, RefUpdate.Result.FORCED);
        }
    }
}
