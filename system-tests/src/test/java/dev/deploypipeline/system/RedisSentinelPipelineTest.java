package dev.deploypipeline.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.testing.RedisSentinelServer;
import dev.deploypipeline.testing.Teardown;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline through Sentinel: a master, its replica and a Sentinel on loopback, and upload-service and a
 * deploy-service replica as real JVMs given only {@code REDIS_SENTINEL_MASTER} and {@code REDIS_SENTINEL_NODES};
 * after the Sentinel promotes the replica, the services follow it.
 */
class RedisSentinelPipelineTest {

    @TempDir
    static Path work;

    @AutoClose
    private static final Teardown teardown = new Teardown();

    private static RedisSentinelServer sentinel;
    private static RedisConnector redis;
    private static LocalPipeline pipeline;
    private static PipelineApi api;

    @BeforeAll
    static void startPipelineThroughSentinel() {
        sentinel = teardown.add(RedisSentinelServer.start());
        redis = teardown.add(new RedisConnector(sentinel.settings("")));
        pipeline = teardown.add(new LocalPipeline(
                work,
                Map.of(
                        "REDIS_SENTINEL_MASTER",
                        RedisSentinelServer.MASTER,
                        "REDIS_SENTINEL_NODES",
                        sentinel.sentinelNodes(),
                        "REDIS_URL",
                        "redis://127.0.0.1:1")));
        api = pipeline.startUploadService(Map.of());
        pipeline.startDeployReplica("replica-a", Map.of("DEPLOY_WORKERS", "1"));
    }

    @Test
    void servicesFindTheMasterThroughSentinelAndFollowAFailover() {
        pipeline.git()
                .repository("sentinel-site")
                .file("index.html", "<h1>through sentinel</h1>")
                .commit("site");
        String url = pipeline.git().url("sentinel-site");
        String before = api.deploy(url);
        assertThat(awaitDeployed(before)).isEqualTo("deployed");
        int firstMaster = sentinel.masterPort();

        int promoted = sentinel.failover();
        String after = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> api.deploy(url), id -> true);

        assertThat(promoted).isNotEqualTo(firstMaster);
        assertThat(awaitDeployed(after)).isEqualTo("deployed");
        assertThat(redis.shared().sync().hget("status", before)).isEqualTo("deployed");
        assertThat(pipeline.storage().open("dist/" + after + "/index.html")).isPresent();
        assertThat(pipeline.redis().hlen("status"))
                .as("the servers' own Redis stands unused")
                .isZero();
    }

    private static String awaitDeployed(String id) {
        return await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(
                        () -> redis.shared().sync().hget("status", id),
                        state -> List.of("deployed", "failed", "cancelled").contains(state));
    }
}
