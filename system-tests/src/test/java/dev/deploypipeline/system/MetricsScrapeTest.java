package dev.deploypipeline.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.testing.LocalProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every service's {@code /actuator/prometheus} after real deployments, as Prometheus scrapes it in Kubernetes
 * ({@code deploy/kubernetes}): upload-service runs with API tokens and its actuator on a management port of its own,
 * which Prometheus reaches by the pod's address, while its API port keeps refusing the actuator to callers without a
 * token; the others are scraped on their one port. Each series the README lists is there, and the Grafana dashboard
 * under {@code deploy/grafana/} asks for no series that is not.
 */
class MetricsScrapeTest {

    private static final Logger log = LoggerFactory.getLogger(MetricsScrapeTest.class);

    private static final String ADMIN_TOKEN = "admin-token-of-the-metrics-test";
    private static final String READ_TOKEN = "read-token-of-the-metrics-test";
    private static final String POD_ADDRESS = "10.244.3.17:9090";
    private static final Path DASHBOARD = Path.of("../deploy/grafana/deploy-pipeline.json");

    /**
     * Series the dashboard shows that features still on their way add: notifications ({@code notify.deliveries}).
     * Each leaves this list when its feature lands.
     */
    @TempDir
    static Path work;

    private static LocalPipeline pipeline;
    private static PipelineApi api;
    private static ServiceProcess replica;
    private static Browser browser;
    private static String handlerUrl;
    private static String managementUrl;

    @BeforeAll
    static void deployOneSiteThatBuildsAndOneThatFails() {
        pipeline = new LocalPipeline(work);
        int managementPort = LocalProcess.freePort();
        managementUrl = "http://127.0.0.1:" + managementPort;
        api = new PipelineApi(
                pipeline.startUploadService(Map.of(
                                "API_TOKEN",
                                ADMIN_TOKEN,
                                "API_READ_TOKEN",
                                READ_TOKEN,
                                "MANAGEMENT_SERVER_PORT",
                                Integer.toString(managementPort),
                                "MANAGEMENT_SERVER_ADDRESS",
                                "127.0.0.1"))
                        .baseUrl(),
                ADMIN_TOKEN);
        replica = pipeline.startDeployReplica("metrics-replica", Map.of("DEPLOY_WORKERS", "1"));
        browser = pipeline.startRequestHandler();
        handlerUrl = browser.baseUrl();
        pipeline.git()
                .repository("metrics-npm")
                .file("package.json", """
                        {"name": "metrics-npm", "version": "1.0.0", "scripts": {"build": "node build.js"}}
                        """)
                .file("build.js", """
                        require('fs').mkdirSync('dist', { recursive: true });
                        require('fs').writeFileSync('dist/index.html', '<h1>measured</h1>');
                        """)
                .commit("a site that builds");
        pipeline.git().repository("metrics-broken").file("package.json", """
                        {"name": "metrics-broken", "version": "1.0.0", "scripts": {"build": "exit 3"}}
                        """).commit("a site that does not");
        String built = api.deploy(pipeline.git().url("metrics-npm"));
        String broken = api.deploy(pipeline.git().url("metrics-broken"));
        assertThat(awaitFinalStatus(built)).isEqualTo("deployed");
        assertThat(awaitFinalStatus(broken)).isEqualTo("failed");
        assertThat(browser.open(built + ".localhost", "/").statusCode()).isEqualTo(200);
        assertThat(browser.open(broken + ".localhost", "/").statusCode()).isEqualTo(404);
    }

    @AfterAll
    static void stopPipeline() {
        pipeline.close();
    }

    @Test
    void uploadServiceShowsFetchSizesOnItsManagementPortAndNothingOnItsApiPort() {
        assertThat(Scrape.of(api.baseUrl(), null).status()).isEqualTo(401);
        assertThat(Scrape.of(api.baseUrl(), READ_TOKEN).status()).isEqualTo(404);
        assertThat(Scrape.of(api.baseUrl(), READ_TOKEN, POD_ADDRESS).status()).isEqualTo(421);

        // As Prometheus scrapes a pod: by its address, which no API_ALLOWED_HOSTS lists, and with no token.
        Scrape scrape = Scrape.of(managementUrl, null, POD_ADDRESS);

        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.series("upload_fetch_size_bytes_count"))
                .singleElement()
                .satisfies(sample -> assertThat(value(sample)).isEqualTo(2));
        assertThat(scrape.series("upload_fetch_size_bytes_bucket")).isNotEmpty();
        assertThat(scrape.series("upload_fetch_files_bucket")).isNotEmpty();
        assertThat(scrape.series("http_server_requests_seconds_count", "uri=\"/deploy\""))
                .isNotEmpty();
    }

    @Test
    void deployServiceShowsTheQueueOutcomesAndEachPhaseOfTheBuild() {
        // The queue's gauges are sampled from Redis every few seconds, off the scrape's path: the empty queue shows
        // by the next sample after the last deployment left it.
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> assertThat(Scrape.of(replica.baseUrl(), null).series("deploy_queue_length"))
                                .singleElement()
                                .satisfies(sample -> assertThat(value(sample)).isZero()));
        Scrape scrape = Scrape.of(replica.baseUrl(), null);

        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.series("deploy_queue_dead_letters")).singleElement();
        assertThat(scrape.series("deploy_queue_processing", "consumer=\"metrics-replica-w1\""))
                .singleElement();
        assertThat(scrape.series("deploy_deployments_seconds_count", "outcome=\"deployed\""))
                .singleElement()
                .satisfies(sample -> assertThat(value(sample)).isEqualTo(1));
        assertThat(scrape.series("deploy_deployments_seconds_count", "outcome=\"failed\""))
                .singleElement()
                .satisfies(sample -> assertThat(value(sample)).isEqualTo(1));
        assertThat(scrape.series("deploy_queue_wait_seconds_count"))
                .singleElement()
                .satisfies(sample -> assertThat(value(sample)).isEqualTo(2));
        for (String phase : List.of("fetch", "install", "build", "publish")) {
            assertThat(scrape.series("deploy_build_phase_seconds_bucket", "phase=\"" + phase + "\""))
                    .as(phase)
                    .isNotEmpty();
        }
        // Both builds fetched and built; only the one that built published.
        assertThat(scrape.series("deploy_build_phase_seconds_count", "phase=\"build\""))
                .singleElement()
                .satisfies(sample -> assertThat(value(sample)).isEqualTo(2));
        assertThat(scrape.series("deploy_build_phase_seconds_count", "phase=\"publish\""))
                .singleElement()
                .satisfies(sample -> assertThat(value(sample)).isEqualTo(1));
    }

    @Test
    void requestHandlerCountsSiteRequestsByStatus() {
        Scrape scrape = Scrape.of(handlerUrl, null);

        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.series("site_requests_total", "status=\"200\""))
                .singleElement()
                .satisfies(sample -> assertThat(value(sample)).isGreaterThanOrEqualTo(1));
        assertThat(scrape.series("site_requests_total", "status=\"404\"")).singleElement();
    }

    @Test
    void grafanaDashboardAsksOnlyForSeriesTheServicesExpose() throws IOException {
        Map<String, Scrape> scrapes = Map.of(
                "upload-service", Scrape.of(managementUrl, null),
                "deploy-service", Scrape.of(replica.baseUrl(), null),
                "request-handler", Scrape.of(handlerUrl, null));
        Set<String> exposed = new HashSet<>();
        scrapes.forEach((service, scrape) -> {
            log.info(
                    "{} exposes {} samples of {} series",
                    service,
                    scrape.samples().size(),
                    scrape.names().size());
            exposed.addAll(scrape.names());
        });

        Set<String> asked = seriesIn(JsonMapper.builder().build().readTree(Files.readString(DASHBOARD)));

        assertThat(asked).isNotEmpty().contains("deploy_build_cache_total", "notify_deliveries_total");
        assertThat(asked)
                .allSatisfy(name -> assertThat(exposed).as("series exposed").contains(name));
    }

    /** The series names in every {@code expr} of the dashboard: the words of its PromQL that name no function. */
    private static Set<String> seriesIn(JsonNode dashboard) {
        Set<String> names = new TreeSet<>();
        Pattern series = Pattern.compile("\\b(?:deploy|upload|site|notify|http|jvm|process)_[a-z0-9_]+\\b");
        for (JsonNode expr : dashboard.findValues("expr")) {
            Matcher matcher = series.matcher(expr.asString());
            while (matcher.find()) {
                names.add(matcher.group());
            }
        }
        return names;
    }

    private static double value(String sample) {
        return Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
    }

    private static String awaitFinalStatus(String id) {
        return await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> pipeline.redis().hget("status", id),
                        status -> List.of("deployed", "failed", "cancelled").contains(status));
    }
}
