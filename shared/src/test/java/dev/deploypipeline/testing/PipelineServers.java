package dev.deploypipeline.testing;

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
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The real servers a test runs the pipeline against, and the one place that tells a service where they are: a
 * Redis, a bucket of the JVM's S3Proxy (or of one of its own), and git over HTTP on loopback, started when first
 * asked for. {@link #register} gives them to a Spring context as the settings' properties, {@link #environment}
 * to a service run as a process as the documented variables. The stores and the S3 client here are for tests to
 * put the pipeline in the state they need and to look at what a service did.
 *
 * <p>As a static {@code @RegisterExtension} field, servers from {@link #start()} stop after the class's last test;
 * those of {@link #shared()} live as long as the JVM, for test classes that share one Spring context.
 */
public final class PipelineServers implements AfterAllCallback, AutoCloseable {

    private static final Set<String> FINAL = Set.of("failed", "cancelled", "deployed");
    private static PipelineServers shared;

    private final RedisServer redisServer;
    private final S3Server s3Server;
    private final boolean ownS3Server;
    private final RedisConnector connector;
    private final DeploymentStore deployments;
    private final DeploymentTransitions transitions;
    private final ProjectStore projects;
    private S3Settings bucket;
    private S3ObjectStorage storage;
    private GitHttpServer git;

    private PipelineServers(RedisServer redisServer, S3Server s3Server, boolean ownS3Server) {
        this.redisServer = redisServer;
        this.s3Server = s3Server;
        this.ownS3Server = ownS3Server;
        this.connector = new RedisConnector(redisServer.settings());
        this.deployments = new DeploymentStore(connector);
        this.transitions = new DeploymentTransitions(connector, Clock.systemUTC());
        this.projects = new ProjectStore(connector);
        freshBucket();
    }

    /** A Redis of its own and a bucket of its own on the JVM's S3Proxy. */
    public static PipelineServers start() {
        return new PipelineServers(RedisServer.start(), S3Server.shared(), false);
    }

    /** The same, with a Redis that keeps its data when a test stops and starts it again. */
    public static PipelineServers startWithAppendOnlyRedis() {
        return new PipelineServers(RedisServer.startWithAppendOnlyFile(), S3Server.shared(), false);
    }

    /** Servers of its own only, Redis with its append-only file and an S3Proxy a test may stop and start. */
    public static PipelineServers startAlone() {
        return new PipelineServers(RedisServer.startWithAppendOnlyFile(), S3Server.startNew(), true);
    }

    /** The JVM's, started on first use and stopped when the JVM exits; tests using it keep to ids of their own. */
    public static synchronized PipelineServers shared() {
        if (shared == null) {
            shared = startWithAppendOnlyRedis();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "pipeline-servers-stop"));
        }
        return shared;
    }

    /**
     * Where the servers are, as each documented variable and its property: one row each, for a context and a
     * process alike. {@code GIT_ALLOWED_HOSTS} names {@code moreGitHosts} and the git server: in a context's
     * properties always (it starts when the setting is first read, which only upload-service does), for a process
     * once {@link #git()} runs.
     */
    private List<Setting> settings(boolean gitOnFirstRead, String... moreGitHosts) {
        List<Setting> settings = new ArrayList<>(List.of(
                new Setting("REDIS_URL", "redis.url", () -> redisServer.url().toString()),
                new Setting(
                        "S3_ENDPOINT", "s3.endpoint", () -> bucket.endpoint().toString()),
                new Setting("S3_BUCKET", "s3.bucket", () -> bucket.bucket()),
                new Setting("AWS_REGION", "aws.region", () -> bucket.region())));
        boolean withGit = gitOnFirstRead || gitStarted();
        if (withGit || moreGitHosts.length > 0) {
            settings.add(new Setting(
                    "GIT_ALLOWED_HOSTS",
                    "git.allowed-hosts",
                    () -> String.join(
                            ",",
                            Stream.concat(
                                            withGit ? Stream.of(git().hostAndPort()) : Stream.empty(),
                                            Stream.of(moreGitHosts))
                                    .toList())));
        }
        return settings;
    }

    private record Setting(String variable, String property, Supplier<String> value) {}

    /** These servers for a Spring context ({@code @DynamicPropertySource}). */
    public void register(DynamicPropertyRegistry registry, String... moreGitHosts) {
        settings(true, moreGitHosts).forEach(setting -> registry.add(setting.property(), setting.value()::get));
    }

    /** The same as properties, read now, for a context a test starts itself. */
    public Map<String, String> properties(String... moreGitHosts) {
        Map<String, String> properties = new LinkedHashMap<>();
        settings(false, moreGitHosts)
                .forEach(setting ->
                        properties.put(setting.property(), setting.value().get()));
        return properties;
    }

    /** The same as environment variables, with the S3 server's keys, for a service run as a process. */
    public Map<String, String> environment(String... moreGitHosts) {
        Map<String, String> environment = new LinkedHashMap<>();
        settings(false, moreGitHosts)
                .forEach(setting ->
                        environment.put(setting.variable(), setting.value().get()));
        environment.put("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY);
        environment.put("AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
        return environment;
    }

    /** From now on, a new empty bucket, for a test that must see only what it puts there. */
    public synchronized S3Settings freshBucket() {
        if (storage != null) {
            storage.close();
        }
        bucket = s3Server.newBucket();
        storage = new S3ObjectStorage(bucket);
        storage.ensureBucket();
        return bucket;
    }

    /** {@code host:port} of the Redis and of the S3 server: what a build must never reach. */
    public List<String> pipelineServices() {
        return List.of(
                redisServer.url().getHost() + ":" + redisServer.port(),
                s3Server.endpoint().getHost() + ":" + s3Server.endpoint().getPort());
    }

    private synchronized boolean gitStarted() {
        return git != null;
    }

    /** Git over HTTP on loopback, started on first use. */
    public synchronized GitHttpServer git() {
        if (git == null) {
            git = GitHttpServer.start();
        }
        return git;
    }

    public RedisServer redisServer() {
        return redisServer;
    }

    public S3Server s3Server() {
        return s3Server;
    }

    public S3Settings bucket() {
        return bucket;
    }

    public RedisConnector connector() {
        return connector;
    }

    public RedisClusterCommands<String, String> redis() {
        return connector.shared().sync();
    }

    public S3ObjectStorage storage() {
        return storage;
    }

    /** The shared library's stores on this Redis, to put deployments and projects in the states a test needs. */
    public DeploymentStore deployments() {
        return deployments;
    }

    /** The state machine on this Redis, to put deployments in the states a test needs, the one way there is. */
    public DeploymentTransitions transitions() {
        return transitions;
    }

    public ProjectStore projects() {
        return projects;
    }

    /** Waits until the deployment reaches {@code status} or stops somewhere else, then says which. */
    public void awaitStatus(String id, String status) {
        String reached = await().atMost(Duration.ofSeconds(30))
                .until(() -> redis().hget("status", id), now -> status.equals(now) || FINAL.contains(now));
        assertThat(reached)
                .as("state of %s: %s", id, redis().hget("deployment:" + id, "error"))
                .isEqualTo(status);
    }

    /** Every key and what it holds, as text, to look for what must never be stored. */
    public String everythingInRedis() {
        RedisClusterCommands<String, String> redis = redis();
        StringBuilder all = new StringBuilder();
        for (String key : redis.keys("*")) {
            all.append(key)
                    .append(
                            switch (redis.type(key)) {
                                case "hash" -> redis.hgetall(key).toString();
                                case "list" -> redis.lrange(key, 0, -1).toString();
                                case "zset" -> redis.zrange(key, 0, -1).toString();
                                case "string" -> redis.get(key);
                                default -> "";
                            });
        }
        return all.toString();
    }

    /** The keys of the objects under {@code prefix} in the bucket. */
    public List<String> keys(String prefix) {
        return storage.list(prefix).stream().map(StoredObjectInfo::key).toList();
    }

    /** An object's text, or {@code null} when there is none. */
    public String text(String key) {
        return storage.open(key).map(PipelineServers::readAll).orElse(null);
    }

    private static String readAll(StoredObject object) {
        try (object) {
            return new String(object.body().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Stops these servers, unless they are the JVM's {@link #shared()} ones, which stop when it exits. */
    @Override
    public void close() {
        if (this != shared) {
            stop();
        }
    }

    private synchronized void stop() {
        storage.close();
        connector.close();
        if (git != null) {
            git.close();
        }
        if (ownS3Server) {
            s3Server.close();
        }
        redisServer.close();
    }
}
