package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.read;
import static dev.deploypipeline.upload.ApiClient.repo;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.deploypipeline.testing.LocalProcess;
import dev.deploypipeline.testing.PipelineServers;
import dev.deploypipeline.testing.TestRepository;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Abuse of the front door through the real HTTP API: every hostile input gets its 4xx problem, creates
 * nothing, and the service goes on serving. Refused URLs are refused before any connection; none of them is
 * ever connected to.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "api.token=" + HostileInputTest.TOKEN,
            "github.webhook-secret=" + HostileInputTest.WEBHOOK_SECRET,
            "github.max-payload-size=256KB"
        })
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {

    static final String TOKEN = "front-door-token-8c1f";
    static final String WEBHOOK_SECRET = "webhook-secret-51e0";

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    private static HttpServer redirector;

    @LocalServerPort
    int port;

    private ApiClient api;
    private GitHubDeliveries github;

    @BeforeAll
    static void startRedirector() throws IOException {
        redirector = redirectingServer(LocalProcess.freePort());
    }

    @AfterAll
    static void stopRedirector() {
        redirector.stop(0);
    }

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry, "127.0.0.1:" + redirector.getAddress().getPort());
    }

    @BeforeEach
    void client() {
        api = new ApiClient(port, TOKEN);
        github = new GitHubDeliveries(api, WEBHOOK_SECRET);
    }

    /** One hostile request and the status it must get. */
    record Hostile(String name, int status, Function<HostileInputTest, HttpResponse<String>> send) {
        @Override
        public String toString() {
            return name + " → " + status;
        }
    }

    static Stream<Hostile> hostileInputs() {
        Stream<Hostile> urls = Stream.of(
                        "file:///etc/passwd",
                        "file:/etc/passwd",
                        "git://github.com/acme/site.git",
                        "ssh://git@github.com/acme/site.git",
                        "git@github.com:acme/site.git",
                        "ext::sh -c touch% /tmp/pwned",
                        "-uhttps://github.com/acme/site.git",
                        "--upload-pack=touch /tmp/pwned",
                        "http://github.com/acme/site.git",
                        "https://127.0.0.1/site",
                        "https://localhost/site",
                        "https://[::1]/site",
                        "https://0.0.0.0/site",
                        "https://2130706433/site",
                        "https://0x7f.1/site",
                        "https://017700000001/site",
                        "https://0177.0.0.1/site",
                        "https://169.254.169.254/latest/meta-data",
                        "https://[fe80::1]/site",
                        "https://10.0.0.1/site",
                        "https://172.16.0.1/site",
                        "https://192.168.1.1/site",
                        "https://100.64.0.1/site",
                        "https://[fc00::1]/site",
                        "https://224.0.0.1/site",
                        "https://[ff02::1]/site",
                        "https://[::ffff:127.0.0.1]/site",
                        "https://[::ffff:169.254.169.254]/site",
                        "https://user:secret@github.com/acme/site.git")
                .map(url -> new Hostile("repoUrl " + url, 400, test -> test.api.post("/deploy", repo(url))));
        Stream<Hostile> others = Stream.of(
                new Hostile(
                        "the allowed git server by another name",
                        400,
                        test -> test.api.post(
                                "/deploy", repo(servers.git().url("site").replace("127.0.0.1", "localhost")))),
                new Hostile(
                        "a project with a refused URL",
                        400,
                        test -> test.api.post(
                                "/projects", Map.of("name", "evil", "repoUrl", "https://169.254.169.254/x"))),
                new Hostile(
                        "a project name that is not a DNS label",
                        400,
                        test -> test.api.post(
                                "/projects",
                                Map.of(
                                        "name",
                                        "../Evil",
                                        "repoUrl",
                                        servers.git().url("site")))),
                new Hostile(
                        "rootDirectory climbing out",
                        400,
                        test -> test.api.post(
                                "/deploy", Map.of("repoUrl", servers.git().url("site"), "rootDirectory", "../../etc"))),
                new Hostile(
                        "absolute outputDirectory",
                        400,
                        test -> test.api.post(
                                "/deploy", Map.of("repoUrl", servers.git().url("site"), "outputDirectory", "/etc"))),
                new Hostile(
                        "lower-case env name",
                        400,
                        test -> test.api.post(
                                "/deploy",
                                Map.of("repoUrl", servers.git().url("site"), "env", Map.of("path", "/tmp")))),
                new Hostile(
                        "env name with a shell in it",
                        400,
                        test -> test.api.post(
                                "/deploy",
                                Map.of("repoUrl", servers.git().url("site"), "env", Map.of("X;rm -rf /", "1")))),
                new Hostile(
                        "too many env variables",
                        400,
                        test -> test.api.post(
                                "/deploy", Map.of("repoUrl", servers.git().url("site"), "env", manyVariables(101)))),
                new Hostile(
                        "a build command of two lines",
                        400,
                        test -> test.api.post(
                                "/deploy",
                                Map.of(
                                        "repoUrl",
                                        servers.git().url("site"),
                                        "buildCommand",
                                        "npm run build\ncurl evil"))),
                new Hostile(
                        "a ref that is an option",
                        400,
                        test -> test.api.post(
                                "/deploy", Map.of("repoUrl", servers.git().url("site"), "ref", "--upload-pack=x"))),
                new Hostile(
                        "a ref of a pull request, a stranger's code",
                        400,
                        test -> test.api.post(
                                "/deploy", Map.of("repoUrl", servers.git().url("site"), "ref", "refs/pull/1/head"))),
                new Hostile(
                        "a ref of a merge request",
                        400,
                        test -> test.api.post(
                                "/deploy",
                                Map.of("repoUrl", servers.git().url("site"), "ref", "refs/merge-requests/1/head"))),
                new Hostile(
                        "a project that does not exist",
                        404,
                        test -> test.api.post("/deploy", Map.of("project", "ghost"))),
                new Hostile("a deployment id that is not one", 400, test -> test.api.get("/deployments/NOT-AN-ID")),
                new Hostile("an unknown deployment id", 404, test -> test.api.get("/deployments/aaaaaaaaaaaaaaaa")),
                new Hostile("a status id with a NUL", 400, test -> test.api.get("/status?id=%00")),
                new Hostile(
                        "a status id of 5000 characters", 400, test -> test.api.get("/status?id=" + "a".repeat(5000))),
                new Hostile("a status without id", 400, test -> test.api.get("/status")),
                new Hostile("a limit that is not a number", 400, test -> test.api.get("/deployments?limit=abc")),
                new Hostile("a limit far too large", 400, test -> test.api.get("/deployments?limit=1000000")),
                new Hostile("a project name with capitals", 400, test -> test.api.get("/projects/Bad_Name")),
                new Hostile(
                        "a project name shaped like a deployment id",
                        400,
                        test -> test.api.get("/projects/aaaaaaaaaaaaaaaa")),
                new Hostile("an unknown project", 404, test -> test.api.get("/projects/no-such-project")),
                new Hostile("a body over MAX_REQUEST_SIZE", 413, test -> test.api.post("/deploy", oversized())),
                new Hostile(
                        "a chunked body over MAX_REQUEST_SIZE",
                        413,
                        test -> test.api.send(test.api
                                .request("/deploy")
                                .POST(HttpRequest.BodyPublishers.ofInputStream(() ->
                                        new ByteArrayInputStream(oversized().getBytes(StandardCharsets.UTF_8)))))),
                new Hostile("broken JSON", 400, test -> test.api.post("/deploy", "{\"repoUrl\": [")),
                new Hostile(
                        "a repoUrl that is a list", 400, test -> test.api.post("/deploy", "{\"repoUrl\": [\"x\"]}")),
                new Hostile(
                        "a body that is not JSON",
                        415,
                        test -> test.api.send(test.api
                                .request("/deploy")
                                .setHeader("Content-Type", "text/plain")
                                .POST(HttpRequest.BodyPublishers.ofString("repoUrl")))),
                new Hostile(
                        "a deploy without a token",
                        401,
                        test -> new ApiClient(test.port, null)
                                .post("/deploy", repo(servers.git().url("site")))),
                new Hostile(
                        "a deploy with a wrong token",
                        401,
                        test -> new ApiClient(test.port, TOKEN + "x")
                                .post("/deploy", repo(servers.git().url("site")))),
                new Hostile(
                        "a deploy with basic auth",
                        401,
                        test -> test.api.send(HttpRequest.newBuilder(test.api.uri("/deploy"))
                                .header("Content-Type", "application/json")
                                .header("Authorization", "Basic " + TOKEN)
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        ApiClient.json(repo(servers.git().url("site"))))))),
                new Hostile("a read without a token", 401, test -> new ApiClient(test.port, null).get("/deployments")),
                new Hostile(
                        "a log read with a wrong token",
                        401,
                        test -> new ApiClient(test.port, TOKEN + "x").get("/deployments/aaaaaaaaaaaaaaaa/logs")),
                new Hostile(
                        "a deploy to another host name (DNS rebinding)",
                        421,
                        test -> test.api.send(test.api
                                .request("/deploy")
                                .header("Host", "evil.example")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        ApiClient.json(repo(servers.git().url("site"))))))),
                new Hostile(
                        "a read for another host name on the loopback port",
                        421,
                        test -> test.api.send(test.api
                                .request("/deployments")
                                .header("Host", "evil.example:" + test.port)
                                .GET())),
                new Hostile(
                        "a project without a token",
                        401,
                        test -> new ApiClient(test.port, null)
                                .post(
                                        "/projects",
                                        Map.of(
                                                "name",
                                                "sneaky",
                                                "repoUrl",
                                                servers.git().url("site")))),
                new Hostile(
                        "a webhook without a signature",
                        401,
                        test -> test.github.send("push", "d-unsigned", pushPayload(), null)),
                new Hostile(
                        "a webhook signed with another secret",
                        401,
                        test -> test.github.send("push", "d-forged", pushPayload(), "not-the-secret")),
                new Hostile(
                        "a webhook whose body was changed after signing",
                        401,
                        test -> test.api.send(HttpRequest.newBuilder(test.api.uri("/webhooks/github"))
                                .header("Content-Type", "application/json")
                                .header("X-GitHub-Event", "push")
                                .header("X-GitHub-Delivery", "d-tampered")
                                .header(
                                        "X-Hub-Signature-256",
                                        GitHubDeliveries.signature(pushPayload(), WEBHOOK_SECRET))
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        pushPayload().replace("main", "evil"))))),
                new Hostile(
                        "a webhook with a signature that is not hex",
                        401,
                        test -> test.api.send(HttpRequest.newBuilder(test.api.uri("/webhooks/github"))
                                .header("X-GitHub-Event", "ping")
                                .header("X-GitHub-Delivery", "d-nothex")
                                .header("X-Hub-Signature-256", "sha256=zz")
                                .POST(HttpRequest.BodyPublishers.ofString("{}")))),
                new Hostile("a replayed webhook delivery", 409, test -> {
                    HttpResponse<String> first =
                            test.github.send("ping", "d-replayed", "{\"zen\":\"hi\"}", WEBHOOK_SECRET);
                    assertThat(first.statusCode()).isEqualTo(200);
                    return test.github.send("ping", "d-replayed", "{\"zen\":\"hi\"}", WEBHOOK_SECRET);
                }),
                new Hostile(
                        "a signed webhook without a delivery id",
                        400,
                        test -> test.github.send("ping", "", "{\"zen\":\"hi\"}", WEBHOOK_SECRET)),
                new Hostile(
                        "a signed push that is not JSON",
                        400,
                        test -> test.github.send("push", "d-notjson", "not json", WEBHOOK_SECRET)),
                new Hostile(
                        "a webhook payload over its limit",
                        413,
                        test -> test.github.send(
                                "push", "d-huge", "{\"x\":\"" + "a".repeat(300_000) + "\"}", WEBHOOK_SECRET)));
        return Stream.concat(urls, others);
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileInputs")
    void eachHostileInputGetsItsProblemAndCreatesNothing(Hostile hostile) {
        long deploymentsBefore = servers.redis().hlen("status");
        long projectsBefore = servers.redis().zcard("projects");

        HttpResponse<String> response = hostile.send().apply(this);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(hostile.status());
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(read(response).get("status").asInt()).isEqualTo(hostile.status());
        assertThat(read(response).get("detail").asString()).isNotBlank().doesNotContain("secret@");
        assertThat(servers.redis().hlen("status")).isEqualTo(deploymentsBefore);
        assertThat(servers.redis().zcard("projects")).isEqualTo(projectsBefore);
        assertThat(api.get("/actuator/health").statusCode()).isEqualTo(200);
    }

    /**
     * A form-encoded body is never read for a handler that takes none: it was, whole into one String by Spring's
     * form filter, before any token was asked for, for every PUT, PATCH and DELETE.
     */
    @ParameterizedTest
    @ValueSource(strings = {"PUT", "PATCH", "DELETE"})
    void aFormBodyThatNeverEndsIsAnsweredAtOnceWithoutBeingRead(String method) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            String chunk = "a=" + "b".repeat(1022);
            socket.getOutputStream()
                    .write((method + " /projects/shop HTTP/1.1\r\nHost: localhost\r\n"
                                    + "Content-Type: application/x-www-form-urlencoded\r\n"
                                    + "Transfer-Encoding: chunked\r\n\r\n"
                                    + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // and no last chunk
            socket.getOutputStream().flush();

            String status = new java.io.BufferedReader(new java.io.InputStreamReader(
                            socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
                    .readLine();

            assertThat(status).startsWith("HTTP/1.1 4");
        }
    }

    @Order(2)
    @Test
    void afterAllOfThatTheAllowedLoopbackGitServerStillDeploysOverPlainHttp() {
        servers.git()
                .repository("still-serving")
                .file("index.html", "still here")
                .commit("x");

        String id = api.deploy(repo(servers.git().url("still-serving")));

        servers.awaitStatus(id, "uploaded");
        assertThat(servers.text("output/" + id + "/index.html")).isEqualTo("still here");
    }

    @Test
    void symlinksOutOfTheRepositoryUploadNothingOfWhatTheyPointAt() {
        servers.git()
                .repository("links")
                .file("index.html", "<h1>site</h1>")
                .file("assets/logo.svg", "<svg/>")
                .symlink("passwd", "/etc/passwd")
                .symlink("etc", "/etc")
                .symlink("outside", "../outside")
                .symlink("docs/escape", "../../x")
                .symlink("docs/sneaky", "../assets/../../etc/passwd")
                .symlink("public/logo.svg", "../assets/logo.svg")
                .symlink("assets-folder", "assets")
                .symlink("loop-a", "loop-b")
                .symlink("loop-b", "loop-a")
                .commit("links");

        String id = api.deploy(repo(servers.git().url("links")));

        servers.awaitStatus(id, "uploaded");
        String prefix = "output/" + id + "/";
        assertThat(servers.keys("output/" + id + "/"))
                .containsExactlyInAnyOrder(
                        prefix + "index.html", prefix + "assets/logo.svg", prefix + "public/logo.svg");
        assertThat(servers.text(prefix + "public/logo.svg")).isEqualTo("<svg/>");
    }

    @Test
    void tensOfThousandsOfLinksIntoOneLargeFolderAreFollowedWithoutSearchingTheFolderForEachLink(CapturedOutput output)
            throws IOException {
        TestRepository repository = servers.git().repository("link-flood");
        try (CraftedTrees trees = new CraftedTrees(repository)) {
            ObjectId target = trees.blob("zz-folder");
            Map<String, Map.Entry<FileMode, ObjectId>> folder = new HashMap<>();
            for (int i = 0; i < 60_000; i++) {
                folder.put("link-" + i, Map.entry(FileMode.SYMLINK, target));
            }
            // the last entry of the folder, and a folder: every link resolves to nothing, after a search of it all
            folder.put(
                    "zz-folder",
                    Map.entry(
                            FileMode.TREE,
                            trees.tree(Map.of("page.html", Map.entry(FileMode.REGULAR_FILE, trees.blob("page"))))));
            trees.commit(trees.tree(Map.of(
                    "index.html", Map.entry(FileMode.REGULAR_FILE, trees.blob("<h1>site</h1>")),
                    "forged\n2026-12-03T00:00:00Z INFO Uploaded \u001b[2J",
                            Map.entry(FileMode.REGULAR_FILE, trees.blob("forged")),
                    "big", Map.entry(FileMode.TREE, trees.tree(folder)))));
        }

        String id = api.deploy(repo(servers.git().url("link-flood")));

        servers.awaitStatus(id, "uploaded");
        String prefix = "output/" + id + "/";
        assertThat(servers.keys(prefix))
                .containsExactlyInAnyOrder(prefix + "index.html", prefix + "big/zz-folder/page.html");
        assertThat(output.getOut().lines().filter(line -> line.contains("Skipp")))
                .as("one line for each kind skipped, however many")
                .hasSize(2)
                .anySatisfy(line -> assertThat(line).contains("Skipped 60000 symbolic links"))
                .anySatisfy(line -> assertThat(line).contains("forged\\u000a2026-12-03T00:00:00Z INFO Uploaded"));
        assertThat(output.getOut()).doesNotContain("\n2026-12-03T00:00:00Z", "\u001b[2J");
    }

    @Test
    void aRedirectToAHostThatIsNotAllowedFailsTheFetchWithoutConnecting() {
        String id =
                api.deploy(repo("http://127.0.0.1:" + redirector.getAddress().getPort() + "/site"));

        servers.awaitStatus(id, "failed");
        assertThat(servers.redis().hget("deployment:" + id, "error")).contains("refused plain http to 127.0.0.1");
        assertThat(servers.keys("output/" + id + "/")).isEmpty();
    }

    @Test
    void readsNeedATokenTooAndTheBearerSchemeIsCaseInsensitive() {
        servers.git().repository("lowercase-bearer").file("index.html", "x").commit("x");

        HttpResponse<String> response = api.send(HttpRequest.newBuilder(api.uri("/deploy"))
                .header("Content-Type", "application/json")
                .header("Authorization", "bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(
                        ApiClient.json(repo(servers.git().url("lowercase-bearer"))))));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(new ApiClient(port, null).get("/deployments?limit=1").statusCode())
                .isEqualTo(401);
        assertThat(api.send(HttpRequest.newBuilder(api.uri("/deployments?limit=1"))
                                .header("Authorization", "BEARER " + TOKEN))
                        .statusCode())
                .isEqualTo(200);
        servers.awaitStatus(read(response).get("id").asString(), "uploaded");
    }

    @Test
    void aMissingTokenIsAnsweredWithTheBearerChallenge() {
        HttpResponse<String> response =
                new ApiClient(port, null).post("/deploy", repo(servers.git().url("site")));

        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }

    @Test
    void tokensSecretsAndCredentialsNeverAppearInAnswersStatesOrLogs(CapturedOutput output) {
        servers.git().repository("secrets").file("index.html", "x").commit("x");
        String id = api.deploy(repo(servers.git().url("secrets")));
        HttpResponse<String> refused = api.post("/deploy", repo("https://deployer:hunter2@github.com/acme/site.git"));
        HttpResponse<String> wrongToken = new ApiClient(port, "guess-" + TOKEN)
                .post("/deploy", repo(servers.git().url("x")));
        HttpResponse<String> forged = github.send("push", "d-secret", pushPayload(), "guess-" + WEBHOOK_SECRET);
        servers.awaitStatus(id, "uploaded");

        String answers = refused.body()
                + wrongToken.body()
                + forged.body()
                + api.get("/deployments?limit=50").body();
        String everythingInRedis = servers.everythingInRedis();
        for (String secret : List.of(TOKEN, WEBHOOK_SECRET, "hunter2")) {
            assertThat(answers).doesNotContain(secret);
            assertThat(everythingInRedis).doesNotContain(secret);
            assertThat(output.getAll()).doesNotContain(secret);
        }
    }

    private static String pushPayload() {
        return ApiClient.json(GitHubDeliveries.pushPayload(servers.git().url("site"), "main", "a".repeat(40)));
    }

    private static String oversized() {
        return ApiClient.json(Map.of("repoUrl", servers.git().url("site"), "padding", "x".repeat(70_000)));
    }

    private static Map<String, String> manyVariables(int count) {
        Map<String, String> variables = new HashMap<>();
        IntStream.range(0, count).forEach(i -> variables.put("VAR_" + i, "1"));
        return variables;
    }

    /** An HTTP server that redirects every request to a loopback port that is not allowed. */
    private static HttpServer redirectingServer(int elsewhere) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders()
                    .add("Location", "http://127.0.0.1:" + elsewhere + "/elsewhere/info/refs?service=git-upload-pack");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
        return server;
    }
}
