package dev.deploypipeline.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.deploypipeline.testing.TestRepository;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser and deployctl in a shell, against the real services with {@code API_TOKEN} set:
 * one Playwright run ({@code src/test/browser/dashboard.mjs}, Debian's chromium) walks every page and saves a
 * screenshot of each at laptop and phone width under {@code target/screenshots/}; the client deploys and follows.
 * A webhook receiver on loopback (the JDK's HTTP server) is the project's notification target the page lists.
 */
class DashboardAndClientTest {

    private static final String TOKEN = "admin-token-of-the-dashboard-test";
    private static final Path SCREENSHOTS = Path.of("target", "screenshots").toAbsolutePath();
    private static final Path DEPLOYCTL =
            Path.of("..", "bin", "deployctl").toAbsolutePath().normalize();
    private static final Duration BUILD = Duration.ofMinutes(3);

    @TempDir
    static Path work;

    private static LocalPipeline pipeline;
    private static PipelineApi api;
    private static Browser sites;
    private static HttpServer receiver;
    private static final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startPipeline() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.add(exchange.getRequestHeaders().getFirst("X-Deploy-Event"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        pipeline = new LocalPipeline(work);
        api = new PipelineApi(
                pipeline.startUploadService(Map.of("API_TOKEN", TOKEN, "NOTIFY_ALLOWED_HOSTS", receiverHost()))
                        .baseUrl(),
                TOKEN);
        pipeline.startDeployReplica("replica-a", Map.of("DEPLOY_WORKERS", "2"));
        sites = pipeline.startRequestHandler();
        repository("static-site", "index.html", "<h1>static</h1>");
        npmRepository("colours", """
                const fs = require('fs');
                let step = 0;
                const timer = setInterval(() => {
                  step++;
                  console.log('\\x1b[32m✓ step ' + step + ' passed\\x1b[0m \\x1b[1m\\x1b[36mbuilding\\x1b[0m');
                  if (step === 8) {
                    clearInterval(timer);
                    fs.mkdirSync('dist', { recursive: true });
                    fs.writeFileSync('dist/index.html', '<h1>colours</h1>');
                  }
                }, 700);
                """);
        npmRepository("slow", """
                console.log('working for ten minutes');
                setInterval(() => console.log('still working'), 1000);
                setTimeout(() => process.exit(0), 600000);
                """);
        // About 14 MB of coloured lines: the stored log is cut at BUILD_LOG_MAX_SIZE, 10 MB.
        npmRepository("huge", """
                const fs = require('fs');
                let lines = [];
                for (let i = 1; i <= 110000; i++) {
                  lines.push('\\x1b[2m' + i + '\\x1b[0m \\x1b[34minfo\\x1b[0m transforming module ' + i
                      + ' of a very large build, with words enough to fill a line');
                  if (lines.length === 1000) {
                    process.stdout.write(lines.join('\\n') + '\\n');
                    lines = [];
                  }
                }
                fs.mkdirSync('dist', { recursive: true });
                fs.writeFileSync('dist/index.html', '<h1>huge</h1>');
                """);
        npmRepository("broken", """
                console.log('compiling');
                console.error('\\x1b[31mError: the build broke on purpose\\x1b[0m');
                process.exit(2);
                """);
    }

    @AfterAll
    static void stopPipeline() {
        pipeline.close();
        receiver.stop(0);
    }

    @Test
    void clientDeploysFollowsTheLogAndExitsZeroPrintingTheUrl() {
        ProgramRun run = deployctl("client-deployed", "deploy", url("static-site"), "--follow");

        assertThat(run.exitCode()).as(run.output()).isZero();
        String id = run.output().lines().findFirst().orElseThrow();
        assertThat(run.output()).contains("deployed: http://" + id + ".localhost:3001/");
        assertThat(api.status(id)).isEqualTo("deployed");
        ProgramRun status = deployctl("client-status", "status", id, "--json");
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output()).contains("\"status\" : \"deployed\"");
        ProgramRun list = deployctl("client-list", "list", "--state", "deployed");
        assertThat(list.output()).contains("ID", "STATUS", id);
    }

    @Test
    void clientExitsNonZeroWithTheErrorOfAFailingBuild() {
        ProgramRun run = deployctl("client-failed", "deploy", url("broken"), "--follow");

        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output())
                .contains("the build broke on purpose")
                .contains("failed: build failed: `npm run build` exited with code 2");
        ProgramRun refused = ProgramRun.of(
                List.of(DEPLOYCTL.toString(), "list", "--api", api.baseUrl()),
                Map.of(),
                Duration.ofMinutes(1),
                work.resolve("client-refused.log"));
        assertThat(refused.exitCode()).isEqualTo(4);
        assertThat(refused.output()).contains("401", "--token");
    }

    @Test
    void dashboardInARealBrowserFollowsDeploysCancelsAndRollsBack() {
        String huge = api.deploy(url("huge"));
        TestRepository site = pipeline.git().repository("browser-site");
        site.file("index.html", "<h1>version one</h1>").commit("one");
        api.createProject("browser-site", url("browser-site"));
        api.patchProject(
                "browser-site",
                "{\"previewBranches\": \"all\", \"schedule\": \"0 3 * * *\", \"timeZone\": \"Europe/Berlin\", \"keep\": 10}");
        String hook = "http://" + receiverHost() + "/deploys?key=kept-out-of-the-list";
        api.addNotificationTarget("browser-site", "webhook", hook);
        String first = awaitDeployed(api.deployProject("browser-site"));
        site.file("index.html", "<h1>version two</h1>").commit("two");
        String second = awaitDeployed(api.deployProject("browser-site"));
        awaitSite("browser-site.localhost", "version two");
        site.branch("feature/cart").file("index.html", "<h1>cart preview</h1>").commit("cart");
        site.branch("main");
        String preview = awaitDeployed(api.deployPreview("browser-site", "feature/cart"));
        awaitSite("feature-cart--browser-site.localhost", "cart preview");
        awaitSite("browser-site.localhost", "version two");
        String failed = api.deploy(url("broken"));
        awaitFinal(failed);
        awaitDeployed(huge);
        await().atMost(Duration.ofSeconds(30)).until(() -> received.contains("deployment.succeeded"));

        ProgramRun run = ProgramRun.of(
                List.of("node", "src/test/browser/dashboard.mjs"),
                Map.ofEntries(
                        Map.entry("DASHBOARD_URL", api.baseUrl()),
                        Map.entry("API_TOKEN", TOKEN),
                        Map.entry("SCREENSHOTS", SCREENSHOTS.toString()),
                        Map.entry("STATIC_REPO", url("static-site")),
                        Map.entry("COLOUR_REPO", url("colours")),
                        Map.entry("SLOW_REPO", url("slow")),
                        Map.entry("FAILED_ID", failed),
                        Map.entry("HUGE_ID", huge),
                        Map.entry("PROJECT", "browser-site"),
                        Map.entry("ROLLBACK_TO", first),
                        Map.entry("PROMOTE", second),
                        Map.entry("PREVIEW_ID", preview),
                        Map.entry("PREVIEW_URL", "http://feature-cart--browser-site.localhost:3001/"),
                        Map.entry("NOTIFY_URL", "http://" + receiverHost() + "/***")),
                Duration.ofMinutes(8),
                work.resolve("dashboard.mjs.log"));

        System.out.println(run.output()); // each step it checked, with its time
        if (run.exitCode() != 0) {
            printLogTails(); // the services' side of a failed step, as the temporary folder goes with the test
        }
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).doesNotContain("FAIL");
        awaitSite("browser-site.localhost", "version one");
        assertThat(pipeline.redis().keys("build-queue:processing:*"))
                .as("the cancelled build's worker holds nothing")
                .allSatisfy(key -> assertThat(pipeline.redis().llen(key)).isZero());
    }

    private static void printLogTails() {
        try (var logs = java.nio.file.Files.list(work.resolve("logs"))) {
            for (Path log : logs.sorted().toList()) {
                List<String> lines = java.nio.file.Files.readAllLines(log);
                System.out.println("--- the last lines of " + log.getFileName());
                lines.subList(Math.max(0, lines.size() - 150), lines.size()).forEach(System.out::println);
            }
        } catch (IOException e) {
            System.out.println("the services' logs could not be read: " + e);
        }
    }

    private static String receiverHost() {
        return "127.0.0.1:" + receiver.getAddress().getPort();
    }

    private static ProgramRun deployctl(String name, String... arguments) {
        List<String> command = new ArrayList<>(List.of(DEPLOYCTL.toString()));
        command.addAll(List.of(arguments));
        return ProgramRun.of(
                command,
                Map.of("DEPLOY_API", api.baseUrl(), "DEPLOY_TOKEN", TOKEN),
                BUILD,
                work.resolve(name + ".log"));
    }

    private static String awaitDeployed(String id) {
        assertThat(awaitFinal(id)).as(api.deployment(id).toString()).isEqualTo("deployed");
        return id;
    }

    private static String awaitFinal(String id) {
        return await().atMost(BUILD)
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> api.status(id),
                        status -> List.of("deployed", "failed", "cancelled").contains(status));
    }

    private static void awaitSite(String host, String text) {
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> sites.open(host, "/").body(), body -> body.contains(text));
    }

    private static String url(String repository) {
        return pipeline.git().url(repository);
    }

    private static void repository(String name, String file, String content) {
        pipeline.git().repository(name).file(file, content).commit(name);
    }

    private static void npmRepository(String name, String build) {
        pipeline.git()
                .repository(name)
                .file(
                        "package.json",
                        "{\"name\": \"" + name + "\", \"version\": \"1.0.0\", "
                                + "\"scripts\": {\"build\": \"node build.js\"}}")
                .file("build.js", build)
                .commit(name);
    }
}
