package dev.deploypipeline.deploy.worker;

import dev.deploypipeline.autoconfigure.PipelineAutoConfiguration;
import dev.deploypipeline.buildlog.BuildLogStream;
import dev.deploypipeline.deploy.DeployServiceApplication;
import dev.deploypipeline.deploy.DeploySettings;
import dev.deploypipeline.deploy.sandbox.BuildSandbox;
import dev.deploypipeline.deploy.sandbox.SandboxConfiguration;
import dev.deploypipeline.deploy.sandbox.SandboxSettings;
import dev.deploypipeline.deploy.sandbox.TestSandbox;
import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.project.PreviewStore;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.queue.DeploymentQueue;
import dev.deploypipeline.queue.RedisDeploymentQueue;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisSettings;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.storage.ObjectStorage;
import dev.deploypipeline.storage.ObjectUpload;
import dev.deploypipeline.storage.S3Settings;
import dev.deploypipeline.storage.StoredObject;
import dev.deploypipeline.testing.BuildFolders;
import dev.deploypipeline.testing.NpmRegistry;
import dev.deploypipeline.testing.PipelineServers;
import dev.deploypipeline.testing.RedisServer;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.core.env.MapPropertySource;
import org.springframework.http.MediaType;
import org.springframework.util.unit.DataSize;

/**
 * What worker pools run on in a test class, as a JUnit extension: the real servers for the class ({@link
 * PipelineServers}), Redis emptied and a fresh bucket before each test; each pool a test starts is the service's
 * own object graph, wired by Spring from the service's configuration with the test's settings given as
 * properties, and closed after the test; and deployments whose sources are already uploaded, as upload-service
 * leaves them.
 */
final class TestPipeline implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final Clock clock = Clock.systemUTC();
    private final List<ConfigurableApplicationContext> pools = new ArrayList<>();
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private PipelineServers servers;
    private DeploymentTransitions transitions;
    private DeploymentQueue queue;

    @Override
    public void beforeAll(ExtensionContext context) {
        servers = PipelineServers.start();
        transitions = new DeploymentTransitions(servers.connector(), clock);
        queue = new RedisDeploymentQueue(servers.connector(), transitions);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        redis().flushall();
        servers.freshBucket();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        pools.forEach(ConfigurableApplicationContext::close);
        pools.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        servers.close();
    }

    /**
     * A deployment with these files under {@code output/{id}/}, as upload-service has it just before it queues it
     * ({@link #enqueue} does).
     */
    DeploymentId uploaded(Map<String, String> files) {
        return uploaded(files, BuildSettings.NONE, null);
    }

    /** The same, of a project. */
    DeploymentId uploaded(String project, Map<String, String> files) {
        return uploaded(files, BuildSettings.NONE, project);
    }

    /** The same, with the build settings its request gave and the project it deploys, if any. */
    DeploymentId uploaded(Map<String, String> files, BuildSettings settings, String project) {
        return uploaded(files, settings, project, null, null, null);
    }

    /**
     * The same, of branch {@code ref} of the project, built for its preview {@code preview} (for its site when
     * {@code null}) and to be served at {@code siteUrl}, as upload-service records them.
     */
    DeploymentId uploaded(
            Map<String, String> files,
            BuildSettings settings,
            String project,
            String ref,
            String preview,
            String siteUrl) {
        DeploymentId id = DeploymentId.random();
        transitions.accept(
                Deployment.accepted(id, "https://git.example.com/site.git", ref, project, settings, clock.instant())
                        .withSite(preview, siteUrl),
                Duration.ofHours(1));
        servers.storage()
                .putAll(files.entrySet().stream()
                        .map(file -> upload(
                                ObjectKeys.sources(id) + file.getKey(),
                                file.getValue().getBytes(StandardCharsets.UTF_8)))
                        .toList());
        return id;
    }

    /** The same, with files of any bytes. */
    DeploymentId uploadedBytes(Map<String, byte[]> files, BuildSettings settings) {
        DeploymentId id = uploaded(Map.of(), settings, null);
        servers.storage()
                .putAll(files.entrySet().stream()
                        .map(file -> upload(ObjectKeys.sources(id) + file.getKey(), file.getValue()))
                        .toList());
        return id;
    }

    /** An object's bytes. */
    byte[] bytes(String key) {
        try (StoredObject object = servers.storage().open(key).orElseThrow()) {
            return object.body().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An uploaded deployment whose sources are the files of {@code folder}, put under {@code under/}. */
    DeploymentId uploadedFolder(Path folder, String under, BuildSettings settings) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path file : paths.filter(Files::isRegularFile).toList()) {
                String relative = folder.relativize(file).toString().replace('\\', '/');
                files.put(under + "/" + relative, Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DeploymentId id = uploaded(Map.of(), settings, null);
        servers.storage()
                .putAll(files.entrySet().stream()
                        .map(file -> upload(ObjectKeys.sources(id) + file.getKey(), file.getValue()))
                        .toList());
        return id;
    }

    /** The deployment is {@code uploaded} and queued, in the one step upload-service takes. */
    void enqueue(DeploymentId id) {
        transitions.upload(id, COMMIT);
    }

    /** The queue delivers an id a second time, as at-least-once delivery may (a reaped replica that lived). */
    void deliverAgain(DeploymentId id) {
        redis().lpush("build-queue", id.value());
    }

    /** The deployment is taken from the queue and started by {@code consumer}, which is not in this test. */
    void startedBy(DeploymentId id, String consumer) {
        enqueue(id);
        redis().lrem("build-queue", 1, id.value());
        transitions.start(id, consumer);
    }

    WorkerPool startPool(String replicaName, int workers, Path workDir, DeploymentListener listener) {
        return startPool(replicaName, workers, workDir, Duration.ofSeconds(10), listener);
    }

    WorkerPool startPool(
            String replicaName, int workers, Path workDir, Duration shutdownGrace, DeploymentListener listener) {
        return startPool(replicaName, workers, workDir, shutdownGrace, listener, Builds.DEFAULT);
    }

    /**
     * A replica's pool and its cancellation watcher, as the service runs them, for builds held to {@code builds}:
     * started with its context, stopped when the context closes after the test.
     */
    WorkerPool startPool(
            String replicaName,
            int workers,
            Path workDir,
            Duration shutdownGrace,
            DeploymentListener listener,
            Builds builds) {
        Map<String, Object> properties = new LinkedHashMap<>(servers.properties());
        properties.put("deploy.replica-name", replicaName);
        properties.put("deploy.workers", Integer.toString(workers));
        properties.put("deploy.work-dir", BuildFolders.reachable(workDir).toString());
        properties.put("deploy.shutdown-grace", shutdownGrace.toMillis() + "ms");
        properties.putAll(builds.properties());
        ConfigurableApplicationContext context = new SpringApplicationBuilder(WorkerSlice.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .registerShutdownHook(false)
                .initializers(starting -> {
                    starting.getEnvironment()
                            .getPropertySources()
                            .addFirst(new MapPropertySource("test-pipeline", properties));
                    starting.getBeanFactory().registerSingleton("deploymentListener", listener);
                })
                .run();
        pools.add(context);
        return context.getBean(WorkerPool.class);
    }

    /**
     * The service's configuration without its web side, its heartbeat and reaper (tests of those start them
     * themselves), its metrics (the test listens instead) and its start-up look at the machine: the sandbox is the
     * tests' own, over the same settings, with the npm registry reachable ({@link TestSandbox}). A test
     * configuration, so the service's own scan in a {@code @SpringBootTest} leaves it out.
     */
    @TestConfiguration(proxyBeanMethods = false)
    @ImportAutoConfiguration({PipelineAutoConfiguration.class, JacksonAutoConfiguration.class})
    @ConfigurationPropertiesScan(basePackageClasses = DeployServiceApplication.class)
    @ComponentScan(
            basePackageClasses = DeployServiceApplication.class,
            excludeFilters =
                    @ComponentScan.Filter(
                            type = FilterType.ASSIGNABLE_TYPE,
                            classes = {
                                DeployServiceApplication.class,
                                SandboxConfiguration.class,
                                ReplicaHeartbeat.class,
                                DeploymentMetrics.class,
                                QueueGauges.class,
                                WorkerSlice.class
                            }))
    static class WorkerSlice {

        /** Where the build phases are timed and the cache's lookups counted ({@link #meters}). */
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        BuildSandbox buildSandbox(SandboxSettings sandbox, DeploySettings deploy, RedisSettings redis, S3Settings s3) {
            return TestSandbox.start(sandbox, deploy.workDir(), SandboxConfiguration.pipelineServices(redis, s3));
        }
    }

    /** The servers of this pipeline, which builds must not reach, as the service tells its network gate. */
    List<String> pipelineServices() {
        return servers.pipelineServices();
    }

    RedisServer redisServer() {
        return servers.redisServer();
    }

    /**
     * What builds are held to in a pool, as the service's properties: the time limit, the log's, the site's and
     * the sandbox's limits, the most their sources may hold, how long a step is retried. By default a build may
     * reach this machine's npm registry and nothing else that is not public.
     */
    record Builds(Map<String, String> properties) {

        static final Builds DEFAULT = new Builds(Map.of(
                "build.timeout",
                "2m",
                "retry.give-up-after",
                "5s",
                "build.egress-allowed-hosts",
                NpmRegistry.hostAndPort()));

        Builds with(String property, String value) {
            Map<String, String> changed = new LinkedHashMap<>(properties);
            changed.put(property, value);
            return new Builds(Map.copyOf(changed));
        }

        Builds withTimeout(Duration limit) {
            return with("build.timeout", limit.toMillis() + "ms");
        }

        Builds withSourcesMaxSize(DataSize size) {
            return with("fetch.max-size", size.toBytes() + "B");
        }

        /** The sandbox's limits: {@code BUILD_MEMORY}, {@code BUILD_MAX_PROCESSES}, {@code BUILD_MAX_DISK}. */
        Builds withLimits(DataSize memory, int maxProcesses, DataSize maxDisk) {
            return with("build.memory", memory.toBytes() + "B")
                    .with("build.max-processes", Integer.toString(maxProcesses))
                    .with("build.max-disk", maxDisk.toBytes() + "B");
        }

        /** How many cores' time a build may use ({@code BUILD_CPUS}). */
        Builds withCpus(double cpus) {
            return with("build.cpus", Double.toString(cpus));
        }

        /** More hosts builds may reach besides the registry ({@code BUILD_EGRESS_ALLOWED_HOSTS}). */
        Builds allowing(String... hosts) {
            return with(
                    "build.egress-allowed-hosts",
                    String.join(",", properties.get("build.egress-allowed-hosts"), String.join(",", hosts)));
        }
    }

    DeploymentStore store() {
        return servers.deployments();
    }

    DeploymentTransitions transitions() {
        return transitions;
    }

    ProjectStore projects() {
        return servers.projects();
    }

    PreviewStore previews() {
        return new PreviewStore(servers.connector());
    }

    DeploymentQueue queue() {
        return queue;
    }

    RedisConnector connector() {
        return servers.connector();
    }

    RedisClusterCommands<String, String> redis() {
        return servers.redis();
    }

    DeploymentState state(DeploymentId id) {
        return store().state(id).orElseThrow();
    }

    Deployment deployment(DeploymentId id) {
        return store().find(id).orElseThrow();
    }

    /** An object's text, or {@code null} when there is none. */
    String text(String key) {
        return servers.text(key);
    }

    /** Parsed, because an S3 server may store {@code text/html; charset=utf-8} without the space. */
    MediaType contentType(String key) {
        try (StoredObject object = servers.storage().open(key).orElseThrow()) {
            return MediaType.parseMediaType(object.contentType());
        }
    }

    /** The lines of a deployment's live log stream, without their times. */
    List<String> liveLog(DeploymentId id) {
        return new BuildLogStream(servers.connector())
                .readAfter(id, BuildLogStream.START, 1_000_000).stream()
                        .filter(entry -> !entry.isEnd())
                        .map(entry -> entry.line().text())
                        .toList();
    }

    /** The lines of a deployment's stored log, without their times. */
    List<String> storedLog(DeploymentId id) {
        String log = text(ObjectKeys.log(id));
        return log == null
                ? List.of()
                : log.lines().map(line -> line.substring(line.indexOf(' ') + 1)).toList();
    }

    List<String> keys(String prefix) {
        return servers.keys(prefix);
    }

    ObjectStorage storage() {
        return servers.storage();
    }

    /** The meters of the pool started last. */
    MeterRegistry meters() {
        return pools.get(pools.size() - 1).getBean(MeterRegistry.class);
    }

    private static ObjectUpload upload(String key, byte[] content) {
        return new ObjectUpload(
                key, content.length, "application/octet-stream", () -> new ByteArrayInputStream(content));
    }
}
