package dev.deploypipeline.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.queue.DeploymentQueue;
import dev.deploypipeline.queue.QueueRecovery;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisSettings;
import dev.deploypipeline.redis.RedisTopology;
import dev.deploypipeline.retry.TransientFaults;
import dev.deploypipeline.storage.ObjectStorage;
import dev.deploypipeline.storage.S3Settings;
import dev.deploypipeline.testing.BoundSettings;
import dev.deploypipeline.testing.PipelineServers;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.unit.DataSize;

class PipelineAutoConfigurationTest {

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PipelineAutoConfiguration.class))
            .withPropertyValues(servers.properties().entrySet().stream()
                    .map(setting -> setting.getKey() + "=" + setting.getValue())
                    .toArray(String[]::new));

    @Test
    void everyServiceGetsTheSharedBeansOnTheConfiguredServers() {
        runner.run(context -> {
            assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(Clock.class)
                    .hasSingleBean(RedisConnector.class)
                    .hasSingleBean(ObjectStorage.class)
                    .hasSingleBean(TransientFaults.class)
                    .hasSingleBean(DeploymentStore.class)
                    .hasSingleBean(ProjectStore.class)
                    .hasSingleBean(DeploymentQueue.class)
                    .hasSingleBean(QueueRecovery.class);
            assertThat(context.getBean(RedisSettings.class).url())
                    .isEqualTo(servers.redisServer().url());
            assertThat(context.getBean(S3Settings.class))
                    .isEqualTo(new S3Settings(
                            servers.bucket().endpoint(), servers.bucket().bucket(), "us-east-1", 16));
        });
    }

    @Test
    void theBucketIsCreatedAtStartWhenItIsMissing() {
        S3Settings missing = servers.s3Server().newBucket();

        runner.withPropertyValues("s3.bucket=" + missing.bucket()).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ObjectStorage.class).list("")).isEmpty();
        });
    }

    @Test
    void healthChecksRedisAndTheBucket() {
        runner.run(context -> {
            assertThat(context.getBean("redisHealthIndicator", HealthIndicator.class)
                            .health()
                            .getStatus())
                    .isEqualTo(Status.UP);
            assertThat(context.getBean("objectStorageHealthIndicator", HealthIndicator.class)
                            .health()
                            .getStatus())
                    .isEqualTo(Status.UP);
        });
    }

    @Test
    void aServicesOwnBeanWins() {
        Clock fixed = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

        runner.withBean(Clock.class, () -> fixed)
                .run(context -> assertThat(context.getBean(Clock.class)).isSameAs(fixed));
    }

    @Test
    void theDocumentedVariablesSetRedisS3AndRetries() {
        Map<String, String> environment = Map.of(
                "REDIS_URL", "redis://:secret@redis.internal:6380/2",
                "REDIS_KEY_PREFIX", "staging:",
                "REDIS_COMMAND_TIMEOUT", "5s",
                "S3_ENDPOINT", "http://minio.internal:9000",
                "S3_BUCKET", "sites",
                "S3_PARALLELISM", "4",
                "AWS_REGION", "eu-west-1",
                "RETRY_GIVE_UP_AFTER", "90s");

        assertThat(BoundSettings.of(RedisProperties.class, environment).settings())
                .isEqualTo(new RedisSettings(
                        URI.create("redis://:secret@redis.internal:6380/2"), "staging:", Duration.ofSeconds(5), 1000));
        assertThat(BoundSettings.of(S3Properties.class, environment))
                .isEqualTo(new S3Properties(URI.create("http://minio.internal:9000"), "sites", 4));
        assertThat(BoundSettings.of(AwsProperties.class, environment).region()).isEqualTo("eu-west-1");
        assertThat(BoundSettings.of(RetryProperties.class, environment).giveUpAfter())
                .isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void clusterNodesOrSentinelsNameWhichRedisTheServicesUse() {
        assertThat(BoundSettings.of(
                                RedisProperties.class,
                                Map.of(
                                        "REDIS_CLUSTER_NODES",
                                        "10.0.0.1:6379, 10.0.0.2:6380",
                                        "REDIS_KEY_PREFIX",
                                        "{deploy}:"))
                        .settings())
                .extracting(RedisSettings::topology, RedisSettings::keyPrefix)
                .containsExactly(new RedisTopology.Cluster(List.of("10.0.0.1:6379", "10.0.0.2:6380")), "{deploy}:");
        assertThat(BoundSettings.of(
                                RedisProperties.class,
                                Map.of(
                                        "REDIS_SENTINEL_MASTER", "mymaster",
                                        "REDIS_SENTINEL_NODES", "10.0.0.5:26379,[::1]:26380",
                                        "REDIS_SENTINEL_PASSWORD", "sentinel-secret"))
                        .settings()
                        .topology())
                .isEqualTo(new RedisTopology.Sentinel(
                        "mymaster", List.of("10.0.0.5:26379", "[::1]:26380"), "sentinel-secret"));
    }

    @Test
    void aClusterAndSentinelsAtOnceOrANodeWithoutAPortAreRefusedAtStart() {
        assertThatThrownBy(() -> BoundSettings.of(
                                RedisProperties.class,
                                Map.of("REDIS_CLUSTER_NODES", "10.0.0.1:6379", "REDIS_SENTINEL_MASTER", "mymaster"))
                        .settings())
                .hasMessageContaining("cannot both be set");
        assertThatThrownBy(() -> BoundSettings.of(RedisProperties.class, Map.of("REDIS_CLUSTER_NODES", "10.0.0.1"))
                        .settings())
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> BoundSettings.of(RedisProperties.class, Map.of("REDIS_SENTINEL_MASTER", "mymaster"))
                        .settings())
                .hasMessageContaining("REDIS_SENTINEL_NODES");
        assertThatThrownBy(
                        () -> BoundSettings.of(RedisProperties.class, Map.of("REDIS_SENTINEL_NODES", "10.0.0.5:26379"))
                                .settings())
                .hasMessageContaining("without REDIS_SENTINEL_MASTER");
    }

    @Test
    void withoutThemTheDefaultsReachALocalRedisAndAwsS3() {
        assertThat(BoundSettings.of(RedisProperties.class).settings())
                .isEqualTo(new RedisSettings(URI.create("redis://127.0.0.1:6379"), "", Duration.ofSeconds(3), 1000));
        assertThat(BoundSettings.of(S3Properties.class)).isEqualTo(new S3Properties(null, "deployments", 16));
        assertThat(BoundSettings.of(AwsProperties.class).region()).isEqualTo("us-east-1");
        assertThat(BoundSettings.of(RetryProperties.class).giveUpAfter()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void settingsSharedByTwoServicesHaveOneDefault() {
        assertThat(BoundSettings.of(BaseDomain.class).domain()).isEqualTo("localhost");
        assertThat(BoundSettings.of(BaseDomain.class, Map.of("BASE_DOMAIN", ".Example.COM."))
                        .domain())
                .isEqualTo("example.com");
        assertThat(BoundSettings.of(SourceSizeLimit.class).maxSize()).isEqualTo(DataSize.ofGigabytes(1));
        assertThat(BoundSettings.of(SourceSizeLimit.class, Map.of("FETCH_MAX_SIZE", "300MB"))
                        .maxSize())
                .isEqualTo(DataSize.ofMegabytes(300));
    }
}
