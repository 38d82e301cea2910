package dev.deploypipeline.deploy.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.redis.RedisSettings;
import dev.deploypipeline.redis.RedisTopology;
import dev.deploypipeline.storage.S3Settings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The servers of this pipeline that the egress gate refuses to builds, whichever way Redis is reached. */
class SandboxConfigurationTest {

    private static final S3Settings S3 = new S3Settings(URI.create("http://minio.internal:9000"), "b", "r", 4);

    @Test
    void theNodesOfARedisClusterAreRefusedToBuildsBesideTheS3Endpoint() {
        RedisSettings cluster = redis(new RedisTopology.Cluster(List.of("10.0.0.7:7000", "redis-1.internal:7001")));

        assertThat(SandboxConfiguration.pipelineServices(cluster, S3))
                .contains("10.0.0.7:7000", "redis-1.internal:7001", "minio.internal:9000");
    }

    @Test
    void theSentinelsAreRefusedToBuildsToo() {
        RedisSettings sentinels =
                redis(new RedisTopology.Sentinel("mymaster", List.of("sentinel-a:26379", "10.0.0.9:26380"), ""));

        assertThat(SandboxConfiguration.pipelineServices(sentinels, S3))
                .contains("sentinel-a:26379", "10.0.0.9:26380", "minio.internal:9000");
    }

    private static RedisSettings redis(RedisTopology topology) {
        return new RedisSettings(URI.create("redis://:secret@localhost"), "", Duration.ofSeconds(5), 1000, topology);
    }
}
