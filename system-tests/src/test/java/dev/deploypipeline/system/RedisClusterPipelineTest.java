package dev.deploypipeline.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import dev.deploypipeline.testing.RedisClusterServer;
import dev.deploypipeline.testing.Teardown;
import io.lettuce.core.Range;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on a real Redis Cluster (three masters, a replica each) with the README's {@code {deploy}:}
 * prefix: upload-service, a deploy-service replica and the request-handler as real JVMs given
 * {@code REDIS_CLUSTER_NODES}. The master of the tag's slot is killed while deployments wait and build, and none is
 * lost.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterPipelineTest {

    private static final String PREFIX = "{deploy}:";

    @TempDir
    static Path work;

    @AutoClose
    private static final Teardown teardown = new Teardown();

    private static RedisClusterServer cluster;
    private static RedisConnector redis;
    private static LocalPipeline pipeline;
    private static PipelineApi api;
    private static Browser browser;
    private static ServiceProcess replica;

    @BeforeAll
    static void startPipelineOnACluster() {
        cluster = teardown.add(RedisClusterServer.start());
        redis = teardown.add(new RedisConnector(cluster.settings(PREFIX)));
        pipeline = teardown.add(new LocalPipeline(
                work,
                Map.of(
                        "REDIS_CLUSTER_NODES",
                        cluster.nodesSetting(),
                        "REDIS_KEY_PREFIX",
                        PREFIX,
                        "REDIS_URL",
                        "redis://" + cluster.nodes().get(0))));
        api = pipeline.startUploadService(Map.of());
        replica = pipeline.startDeployReplica("replica-a", Map.of("DEPLOY_WORKERS", "2"));
        browser = pipeline.startRequestHandler();
    }

    @Test
    @Order(1)
    void deploymentsFlowThroughTheClusterAndAMasterLostMidwayLosesNone() {
        pipeline.git()
                .repository("cluster-site")
                .file("index.html", "<h1>on a cluster</h1>")
                .commit("site");
        String url = pipeline.git().url("cluster-site");
        List<String> ids = new ArrayList<>();
        String first = api.deploy(url);
        ids.add(first);
        allDeployed(ids);
        assertThat(browser.open(first + ".localhost", "/").body()).contains("on a cluster");

        for (int i = 0; i < 4; i++) {
            ids.add(api.deploy(url));
        }
        int promoted = cluster.killMasterOf(PREFIX + "build-queue");
        for (int i = 0; i < 3; i++) {
            // Until the services' clients have read the new slots, a request may answer 503: a client retries.
            ids.add(await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> api.deploy(url), id -> true));
        }

        allDeployed(ids);
        assertThat(cluster.masterOf(PREFIX + "build-queue")).isEqualTo(promoted);
        String last = ids.get(ids.size() - 1);
        // The request-handler's client too may take a moment to read the new slots; a browser retries a 503.
        HttpResponse<String> site = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> browser.open(last + ".localhost", "/"), response -> response.statusCode() != 503);
        assertThat(site.statusCode()).isEqualTo(200);
        assertThat(site.body()).contains("on a cluster");
        nothingLeftInAnyList();
        // Its health pings the master of the tag's slot, whichever node its client first reached.
        await().atMost(Duration.ofSeconds(10)).until(replica::healthy);
    }

    @Test
    @Order(2)
    void aCancelledBuildIsKilledByTheReplicaBuildingItWhicheverNodeCarriesTheMessage() {
        SlowSites.create(pipeline, "cluster-slow", 1, 60_000);
        RedisClusterCommands<String, String> commands = redis.shared().sync();
        String id = api.deploy(pipeline.git().url("cluster-slow"));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> commands.hget(redis.keys().status(), id), "building"::equals);
        // Its build runs: npm has printed the build script's command into the live log.
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> commands.xrange(redis.keys().buildLog(id), Range.create("-", "+")).stream()
                        .anyMatch(
                                line -> line.getBody().getOrDefault("text", "").contains("node build.js")));

        assertThat(api.cancel(id)).isEqualTo(200);

        // The replica hears of it on the cancellations channel, published on the tag's master.
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> redis
                                .shared()
                                .forPattern(redis.keys().processingPattern())
                                .keys(redis.keys().processingPattern())
                                .stream()
                                .allMatch(list -> commands.llen(list) == 0));
        assertThat(commands.hget(redis.keys().status(), id)).isEqualTo("cancelled");
        assertThat(pipeline.storage().open("dist/" + id + "/index.html")).isEmpty();
    }

    @Test
    @Order(3)
    void aBuildsLogIsFollowedLiveAfterAMasterWasLost() {
        SlowSites.create(pipeline, "cluster-follow", 1, 60_000);
        String id = api.deploy(pipeline.git().url("cluster-follow"));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> redis.shared().sync().hget(redis.keys().status(), id), "building"::equals);

        // The replica streams it and upload-service's reader follows it, with the killed master still listed.
        assertThat(api.followLogUntil(id, "node build.js", Duration.ofSeconds(60)))
                .contains("node build.js");

        assertThat(api.cancel(id)).isEqualTo(200);
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> redis.shared().sync().hget(redis.keys().status(), id), "cancelled"::equals);
    }

    private static void allDeployed(List<String> ids) {
        RedisClusterCommands<String, String> commands = redis.shared().sync();
        RedisKeys keys = redis.keys();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> ids.stream()
                        .allMatch(id ->
                                List.of("deployed", "failed", "cancelled").contains(commands.hget(keys.status(), id))));
        for (String id : ids) {
            assertThat(commands.hget(keys.status(), id))
                    .as("%s: %s", id, commands.hget(keys.deployment(id), "error"))
                    .isEqualTo("deployed");
            assertThat(pipeline.storage().open("dist/" + id + "/index.html"))
                    .as(id)
                    .isPresent();
        }
    }

    private static void nothingLeftInAnyList() {
        RedisClusterCommands<String, String> commands = redis.shared().sync();
        RedisKeys keys = redis.keys();
        assertThat(commands.llen(keys.queue())).as("build-queue").isZero();
        assertThat(redis.shared().forPattern(keys.processingPattern()).keys(keys.processingPattern()))
                .allSatisfy(
                        key -> assertThat(commands.lrange(key, 0, -1)).as(key).isEmpty());
        assertThat(commands.llen(keys.deadLetters())).as("dead letters").isZero();
        assertThat(redis.shared().forPattern(PREFIX + "*").dbsize())
                .as("every key is the tag's, on its master")
                .isEqualTo(redis.shared().forPattern(PREFIX + "*").keys("*").stream()
                        .filter(key -> key.startsWith(PREFIX))
                        .count());
    }
}
