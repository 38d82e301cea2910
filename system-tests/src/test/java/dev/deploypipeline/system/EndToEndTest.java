package dev.deploypipeline.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.storage.StoredObject;
import dev.deploypipeline.storage.StoredObjectInfo;
import dev.deploypipeline.testing.TestRepository;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * A repository URL goes in, a built site comes out and opens over HTTP: upload-service, two deploy-service
 * replicas and the request-handler as real JVMs.
 */
class EndToEndTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path work;

    private static LocalPipeline pipeline;
    private static PipelineApi api;
    private static Browser browser;

    @BeforeAll
    static void startPipeline() {
        pipeline = new LocalPipeline(work);
        api = pipeline.startUploadService(Map.of());
        pipeline.startDeployReplica("replica-a", Map.of("DEPLOY_WORKERS", "2"));
        pipeline.startDeployReplica("replica-b", Map.of("DEPLOY_WORKERS", "2"));
        browser = pipeline.startRequestHandler();
    }

    @AfterAll
    static void stopPipeline() {
        pipeline.close();
    }

    @Test
    void staticSiteAndNpmProjectBothReachDeployedWithTheirBytesInDist() throws IOException {
        pipeline.git()
                .repository("e2e-static")
                .file("index.html", "<h1>static</h1>")
                .file("about/index.html", "<h1>about</h1>")
                .commit("static site");
        pipeline.git()
                .repository("e2e-npm")
                .file("package.json", """
                        {"name": "e2e-npm", "version": "1.0.0", "scripts": {"build": "node build.js"}}
                        """)
                .file("build.js", """
                        const fs = require('fs');
                        fs.mkdirSync('dist', { recursive: true });
                        fs.writeFileSync('dist/index.html', '<h1>built by node ' + (1 + 1) + '</h1>');
                        """)
                .commit("npm project");

        String staticId = api.deploy(pipeline.git().url("e2e-static"));
        String npmId = api.deploy(pipeline.git().url("e2e-npm"));

        assertThat(awaitFinalStatus(staticId)).isEqualTo("deployed");
        assertThat(awaitFinalStatus(npmId)).isEqualTo("deployed");
        assertThat(read("dist/" + staticId + "/about/index.html")).isEqualTo("<h1>about</h1>");
        assertThat(read("dist/" + npmId + "/index.html")).isEqualTo("<h1>built by node 2</h1>");
        assertThat(keys("dist/" + npmId + "/")).containsExactly("dist/" + npmId + "/index.html");
        assertNothingLeftInAnyQueue();
    }

    @Test
    void viteReactAppMadeWithCreateViteDeploysWithItsScriptsAndStyles() throws IOException {
        pipeline.git()
                .repository("e2e-vite")
                .copyOf(Path.of("src/test/resources/fixtures/vite-react"), "")
                .commit("create-vite react-ts");

        String id = api.deploy(pipeline.git().url("e2e-vite"));

        assertThat(awaitFinalStatus(id)).as(api.deployment(id).toString()).isEqualTo("deployed");
        String index = read("dist/" + id + "/index.html");
        assertThat(index).contains("<div id=\"root\"></div>").containsPattern("/assets/index-[\\w-]+\\.js");
        List<String> assets = keys("dist/" + id + "/assets/");
        assertThat(assets).anyMatch(key -> key.endsWith(".js")).anyMatch(key -> key.endsWith(".css"));
        String script =
                assets.stream().filter(key -> key.endsWith(".js")).findFirst().orElseThrow();
        try (StoredObject object = pipeline.storage().open(script).orElseThrow()) {
            assertThat(object.contentType()).startsWith("text/javascript");
        }
        assertNothingLeftInAnyQueue();
        opensInABrowserWithItsScriptsAndStyles(id + ".localhost");
    }

    private void opensInABrowserWithItsScriptsAndStyles(String host) {
        HttpResponse<String> page = browser.open(host, "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(contentType(page)).startsWith("text/html");
        assertThat(page.body()).contains("<div id=\"root\"></div>");
        Matcher script = Pattern.compile("src=\"(/assets/[\\w.-]+\\.js)\"").matcher(page.body());
        Matcher style = Pattern.compile("href=\"(/assets/[\\w.-]+\\.css)\"").matcher(page.body());
        assertThat(script.find()).as(page.body()).isTrue();
        assertThat(style.find()).as(page.body()).isTrue();
        HttpResponse<String> js = browser.open(host, script.group(1));
        HttpResponse<String> css = browser.open(host, style.group(1));
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(contentType(js)).startsWith("text/javascript");
        assertThat(js.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(contentType(css)).startsWith("text/css");
    }

    @Test
    void projectSiteFollowsEachNewDeploymentAndRollsBackAtOnce() {
        TestRepository repository = pipeline.git().repository("e2e-project");
        repository.file("index.html", "<h1>version one</h1>").commit("one");
        api.createProject("e2e-project", pipeline.git().url("e2e-project"));
        String first = api.deployProject("e2e-project");
        assertThat(awaitFinalStatus(first)).isEqualTo("deployed");
        awaitSite("e2e-project.localhost", "version one");

        repository.file("index.html", "<h1>version two</h1>").commit("two");
        String second = api.deployProject("e2e-project");
        assertThat(awaitFinalStatus(second)).isEqualTo("deployed");
        awaitSite("e2e-project.localhost", "version two");

        assertThat(api.rollback("e2e-project", first)).isEqualTo(200);
        awaitSite("e2e-project.localhost", "version one");
        assertThat(browser.open(second + ".localhost", "/").body()).contains("version two");
    }

    @Test
    void aBranchPreviewServesBesideTheSiteAndARollbackPinsTheSiteUntilAPromotion() {
        TestRepository repository = pipeline.git().repository("e2e-previews");
        repository.file("index.html", "<h1>production one</h1>").commit("one");
        repository
                .branch("feature/new-look")
                .file("index.html", "<h1>new look</h1>")
                .commit("new look");
        repository.branch("main");
        HttpResponse<String> project = api.post(
                "/projects",
                JSON.createObjectNode()
                        .put("name", "e2e-previews")
                        .put("repoUrl", pipeline.git().url("e2e-previews"))
                        .put("branch", "main")
                        .put("previewBranches", "all"));
        assertThat(project.statusCode()).as(project.body()).isEqualTo(201);
        String one = api.deployProject("e2e-previews");
        assertThat(awaitFinalStatus(one)).isEqualTo("deployed");
        awaitSite("e2e-previews.localhost", "production one");

        String preview = api.deploy(
                JSON.createObjectNode().put("project", "e2e-previews").put("branch", "feature/new-look"));

        assertThat(awaitFinalStatus(preview)).isEqualTo("deployed");
        awaitSite("feature-new-look--e2e-previews.localhost", "new look");
        assertThat(browser.open("e2e-previews.localhost", "/").body()).contains("production one");

        repository.file("index.html", "<h1>production two</h1>").commit("two");
        String two = api.deployProject("e2e-previews");
        assertThat(awaitFinalStatus(two)).isEqualTo("deployed");
        awaitSite("e2e-previews.localhost", "production two");
        assertThat(api.rollback("e2e-previews", one)).isEqualTo(200);
        awaitSite("e2e-previews.localhost", "production one");
        repository.file("index.html", "<h1>production three</h1>").commit("three");
        String three = api.deployProject("e2e-previews");
        assertThat(awaitFinalStatus(three)).isEqualTo("deployed");
        assertThat(browser.open(three + ".localhost", "/").body()).contains("production three");
        assertThat(browser.open("e2e-previews.localhost", "/").body()).contains("production one");

        HttpResponse<String> promoted = api.post(
                "/projects/e2e-previews/promote", JSON.createObjectNode().put("id", three));

        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
        awaitSite("e2e-previews.localhost", "production three");
    }

    /** The alias moves right after the build is deployed, and the handler hears of it through pub/sub. */
    private static void awaitSite(String host, String text) {
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> browser.open(host, "/").body(), body -> body.contains(text));
    }

    private static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    private static String awaitFinalStatus(String id) {
        return await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> pipeline.redis().hget("status", id),
                        status -> List.of("deployed", "failed", "cancelled").contains(status));
    }

    private void assertNothingLeftInAnyQueue() {
        assertThat(pipeline.redis().llen("build-queue")).isZero();
        assertThat(pipeline.redis().keys("build-queue:processing:*"))
                .allSatisfy(
                        key -> assertThat(pipeline.redis().llen(key)).as(key).isZero());
    }

    private static List<String> keys(String prefix) {
        return pipeline.storage().list(prefix).stream()
                .map(StoredObjectInfo::key)
                .toList();
    }

    private static String read(String key) throws IOException {
        try (StoredObject object =
                pipeline.storage().open(key).orElseThrow(() -> new AssertionError("missing " + key))) {
            return new String(object.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
