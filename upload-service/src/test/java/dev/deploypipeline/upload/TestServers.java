package dev.deploypipeline.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.storage.S3ObjectStorage;
import dev.deploypipeline.storage.S3Settings;
import dev.deploypipeline.storage.StoredObject;
import dev.deploypipeline.storage.StoredObjectInfo;
import dev.deploypipeline.testing.GitHttpServer;
import dev.deploypipeline.testing.RedisServer;
import dev.deploypipeline.testing.S3Server;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The real servers one test class runs the service against: a Redis of its own, a bucket of its own on the
 * shared S3Proxy, and git over smart HTTP on loopback, which the service is allowed to fetch from. Registered as
 * a static {@code @RegisterExtension} field, they start with the class and stop after its last test.
 */
final class TestServers implements AfterAllCallback, AutoCloseable {

    private static final Set<String> FINAL = Set.of("failed", "cancelled", "deployed");

    final RedisServer redisServer;
    final GitHttpServer git;
    final S3Settings s3;
    final RedisCommands<String, String> redis;
    final S3ObjectStorage storage;
    /** The shared library's stores on this Redis, to put deployments and projects in the states a test needs. */
    final DeploymentStore deployments;
    final DeploymentTransitions transitions;
    final ProjectStore projects;
    private final RedisConnector connector;
    private final RedisClient redisClient;
    private final StatefulRedisConnection<String, String> redisConnection;

    private TestServers() {
        this.redisServer = RedisServer.start();
        this.git = GitHttpServer.start();
        this.s3 = S3Server.shared().newBucket();
        this.redisClient = RedisClient.create(redisServer.url().toString());
        this.redisConnection = redisClient.connect();
        this.redis = redisConnection.sync();
        this.storage = new S3ObjectStorage(s3);
        this.connector = new RedisConnector(redisServer.settings());
        this.deployments = new DeploymentStore(connector);
        this.transitions = new DeploymentTransitions(connector, Clock.systemUTC());
        this.projects = new ProjectStore(connector);
    }

    static TestServers start() {
        return new TestServers();
    }

    /** The service's settings for these servers; {@code GIT_ALLOWED_HOSTS} names the loopback git server. */
    void register(DynamicPropertyRegistry registry, String... moreAllowedHosts) {
        registry.add("REDIS_URL", () -> redisServer.url().toString());
        registry.add("S3_ENDPOINT", () -> s3.endpoint().toString());
        registry.add("S3_BUCKET", s3::bucket);
        registry.add("git.allowed-hosts", () -> String.join(",", git.hostAndPort(), String.join(",", moreAllowedHosts)));
    }

    /** Waits until the deployment reaches {@code status} or stops somewhere else, then says which. */
    void awaitStatus(String id, String status) {
        String reached = await().atMost(Duration.ofSeconds(30))
                .until(() -> redis.hget("status", id), now -> status.equals(now) || FINAL.contains(now));
        assertThat(reached).as("state of %s: %s", id, redis.hget("deployment:" + id, "error")).isEqualTo(status);
    }

    /** Every key and what it holds, as text, to look for what must never be stored. */
    String everythingInRedis() {
        StringBuilder all = new StringBuilder();
        for (String key : redis.keys("*")) {
            all.append(key).append(switch (redis.type(key)) {
                case "hash" -> redis.hgetall(key).toString();
                case "list" -> redis.lrange(key, 0, -1).toString();
                case "zset" -> redis.zrange(key, 0, -1).toString();
                case "string" -> redis.get(key);
                default -> "";
            });
        }
        return all.toString();
    }

    List<String> sourceKeys(String id) {
        return storage.list("output/" + id + "/").stream().map(StoredObjectInfo::key).toList();
    }

    String read(String key) {
        try (StoredObject object = storage.open(key).orElseThrow()) {
            return new String(object.body().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        storage.close();
        connector.close();
        redisConnection.close();
        redisClient.shutdown();
        git.close();
        redisServer.close();
    }
}
