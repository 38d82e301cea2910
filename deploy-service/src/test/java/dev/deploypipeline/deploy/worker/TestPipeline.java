package dev.deploypipeline.deploy.worker;

import dev.deploypipeline.buildlog.BuildLogStream;
import dev.deploypipeline.deploy.DeploySettings;
import dev.deploypipeline.deploy.builder.BuildPlanner;
import dev.deploypipeline.deploy.builder.BuildRunner;
import dev.deploypipeline.deploy.log.BuildLogs;
import dev.deploypipeline.deploy.log.LogSettings;
import dev.deploypipeline.deploy.publish.SiteLimits;
import dev.deploypipeline.deploy.publish.SitePublisher;
import dev.deploypipeline.deploy.sandbox.BuildSandbox;
import dev.deploypipeline.deploy.sandbox.SandboxSettings;
import dev.deploypipeline.deploy.sandbox.TestSandbox;
import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.queue.DeploymentQueue;
import dev.deploypipeline.retry.TransientFaults;
import dev.deploypipeline.queue.RedisDeploymentQueue;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.storage.ObjectUpload;
import dev.deploypipeline.storage.S3ObjectStorage;
import dev.deploypipeline.storage.StoredObject;
import dev.deploypipeline.storage.StoredObjectInfo;
import dev.deploypipeline.testing.RedisServer;
import dev.deploypipeline.testing.S3Server;
import io.lettuce.core.api.sync.RedisCommands;
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
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * What worker pools run on in a test class, as a JUnit extension: a real Redis for the class, emptied before
 * each test, a fresh bucket of the real S3 server for each test, every pool a test started stopped after it;
 * and deployments whose sources are already uploaded, as upload-service leaves them.
 */
final class TestPipeline implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private final Clock clock = Clock.systemUTC();
    private final List<WorkerPool> pools = new ArrayList<>();
    private final List<CancellationWatcher> watchers = new ArrayList<>();
    private RedisServer redisServer;
    private RedisConnector connector;
    private DeploymentStore store;
    private DeploymentTransitions transitions;
    private ProjectStore projects;
    private DeploymentQueue queue;
    private S3ObjectStorage storage;

    @Override
    public void beforeAll(ExtensionContext context) {
        redisServer = RedisServer.start();
        connector = new RedisConnector(redisServer.settings());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        redis().flushall();
        store = new DeploymentStore(connector);
        transitions = new DeploymentTransitions(connector, clock);
        projects = new ProjectStore(connector);
        queue = new RedisDeploymentQueue(connector, transitions);
        storage = new S3ObjectStorage(S3Server.shared().newBucket());
        storage.ensureBucket();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        pools.forEach(WorkerPool::stop);
        pools.clear();
        watchers.forEach(CancellationWatcher::stop);
        watchers.clear();
        storage.close();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        connector.close();
        redisServer.close();
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
        DeploymentId id = DeploymentId.random();
        transitions.accept(Deployment.accepted(id, "https://git.example.com/site.git", null, project, settings,
                clock.instant()), Duration.ofHours(1));
        storage.putAll(files.entrySet().stream()
                .map(file -> upload(ObjectKeys.sources(id) + file.getKey(),
                        file.getValue().getBytes(StandardCharsets.UTF_8)))
                .toList());
        return id;
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
        storage.putAll(files.entrySet().stream()
                .map(file -> upload(ObjectKeys.sources(id) + file.getKey(), file.getValue())).toList());
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

    WorkerPool startPool(String replicaName, int workers, Path workDir, Duration shutdownGrace,
            DeploymentListener listener) {
        return startPool(replicaName, workers, workDir, shutdownGrace, listener, Builds.DEFAULT);
    }

    /** A pool with its cancellation watcher, as the service runs them, for builds held to {@code builds}. */
    WorkerPool startPool(String replicaName, int workers, Path workDir, Duration shutdownGrace,
            DeploymentListener listener, Builds builds) {
        DeploySettings settings = new DeploySettings(workers, builds.timeout(), workDir, replicaName, shutdownGrace,
                builds.sourcesMaxSize());
        BuildSandbox sandbox = TestSandbox.start(builds.sandbox(), workDir, pipelineServices());
        BuildRunner runner = new BuildRunner(new BuildPlanner(JsonMapper.builder().build()), sandbox, settings, clock);
        RunningBuilds running = new RunningBuilds();
        SitePublisher publisher = new SitePublisher(storage, builds.site());
        TransientFaults retries = new TransientFaults(Duration.ofSeconds(5));
        BuildOwnership ownership = new BuildOwnership(store);
        Deployer deployer = new Deployer(transitions, ownership, storage, runner, publisher,
                new BuildLogs(connector, builds.log(), settings, clock), new BuildSettingsResolver(store, projects),
                running, new OutcomeRecorder(transitions, ownership, publisher, retries,
                        new AliasPromoter(store, projects, retries)), sandbox, settings, retries);
        CancellationWatcher watcher = new CancellationWatcher(connector, ownership, running);
        WorkerPool pool = new WorkerPool(queue, deployer, listener, settings, clock);
        watcher.start();
        pool.start();
        watchers.add(watcher);
        pools.add(pool);
        return pool;
    }

    /** The servers of this pipeline, which builds must not reach, as the service tells its network gate. */
    List<String> pipelineServices() {
        return List.of(redisServer.url().getHost() + ":" + redisServer.port(),
                S3Server.shared().endpoint().getHost() + ":" + S3Server.shared().endpoint().getPort());
    }

    RedisServer redisServer() {
        return redisServer;
    }

    /**
     * What builds are held to in a pool: the time limit, the log's and the site's limits, the sandbox's, and the
     * most their sources may hold.
     */
    record Builds(Duration timeout, LogSettings log, SiteLimits site, SandboxSettings sandbox,
            org.springframework.util.unit.DataSize sourcesMaxSize) {

        static final Builds DEFAULT = new Builds(Duration.ofMinutes(2), LogSettings.defaults(), SiteLimits.defaults(),
                TestSandbox.defaults(), null);

        Builds withTimeout(Duration limit) {
            return new Builds(limit, log, site, sandbox, sourcesMaxSize);
        }

        Builds withLog(LogSettings settings) {
            return new Builds(timeout, settings, site, sandbox, sourcesMaxSize);
        }

        Builds withSite(SiteLimits limits) {
            return new Builds(timeout, log, limits, sandbox, sourcesMaxSize);
        }

        Builds withSandbox(SandboxSettings settings) {
            return new Builds(timeout, log, site, settings, sourcesMaxSize);
        }

        Builds withSourcesMaxSize(org.springframework.util.unit.DataSize size) {
            return new Builds(timeout, log, site, sandbox, size);
        }
    }

    DeploymentStore store() {
        return store;
    }

    DeploymentTransitions transitions() {
        return transitions;
    }

    ProjectStore projects() {
        return projects;
    }

    DeploymentQueue queue() {
        return queue;
    }

    RedisConnector connector() {
        return connector;
    }

    RedisCommands<String, String> redis() {
        return connector.shared().sync();
    }

    DeploymentState state(DeploymentId id) {
        return store.state(id).orElseThrow();
    }

    Deployment deployment(DeploymentId id) {
        return store.find(id).orElseThrow();
    }

    /** An object's text, or {@code null} when there is none. */
    String text(String key) {
        return storage.open(key).map(TestPipeline::readAll).orElse(null);
    }

    /** Parsed, because an S3 server may store {@code text/html; charset=utf-8} without the space. */
    MediaType contentType(String key) {
        try (StoredObject object = storage.open(key).orElseThrow()) {
            return MediaType.parseMediaType(object.contentType());
        }
    }

    /** The lines of a deployment's live log stream, without their times. */
    List<String> liveLog(DeploymentId id) {
        return new BuildLogStream(connector).readAfter(id, BuildLogStream.START, 1_000_000).stream()
                .filter(entry -> !entry.isEnd()).map(entry -> entry.line().text()).toList();
    }

    /** The lines of a deployment's stored log, without their times. */
    List<String> storedLog(DeploymentId id) {
        String log = text(ObjectKeys.log(id));
        return log == null ? List.of() : log.lines().map(line -> line.substring(line.indexOf(' ') + 1)).toList();
    }

    List<String> keys(String prefix) {
        return storage.list(prefix).stream().map(StoredObjectInfo::key).toList();
    }

    private static ObjectUpload upload(String key, byte[] content) {
        return new ObjectUpload(key, content.length, "application/octet-stream",
                () -> new ByteArrayInputStream(content));
    }

    private static String readAll(StoredObject object) {
        try (object) {
            return new String(object.body().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
