package dev.deploypipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deploy.builder.TestProcesses;
import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.storage.ObjectMetadata;
import dev.deploypipeline.storage.ObjectUpload;
import dev.deploypipeline.storage.S3ObjectStorage;
import dev.deploypipeline.testing.BuildFolders;
import dev.deploypipeline.testing.LocalProcess;
import dev.deploypipeline.testing.PipelineServers;
import dev.deploypipeline.testing.S3Server;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole service in a JVM of its own, with a small heap, as a real process that a test can kill. */
class DeployServiceProcessTest {

    private static final String HEAP = "-Xmx56m";
    private static final int THIRTY_MEGABYTES = 30 * 1024 * 1024;

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    @TempDir
    Path folder;

    private final DeploymentStore store = servers.deployments();
    private S3ObjectStorage storage;
    private final DeploymentTransitions transitions = new DeploymentTransitions(servers.connector(), Clock.systemUTC());

    @BeforeEach
    void freshServers() {
        servers.redis().flushall();
        servers.freshBucket();
        storage = servers.storage();
    }

    /** A service that held a build's output in memory would run out of it; this one reads it line by line. */
    @Test
    void serviceWithASmallHeapStaysHealthyWhileABuildPrintsThirtyMegabytes() throws Exception {
        int port = LocalProcess.freePort();
        Process service = start(port);
        try {
            DeploymentId id = deployment("""
                    {"name": "loud", "version": "1.0.0", "private": true, "scripts": {"build":
                     "yes $(printf '%%0999d' 7) | head -c %d && echo && mkdir -p dist && echo ok > dist/index.html"}}
                    """.formatted(THIRTY_MEGABYTES));
            await().atMost(Duration.ofMinutes(2))
                    .failFast("the service exited; see " + folder.resolve("service.log"), () -> !service.isAlive())
                    .until(() -> store.state(id).orElseThrow().isFinal());

            assertThat(store.state(id)).contains(DeploymentState.DEPLOYED);
            assertThat(LocalProcess.healthy(port)).isTrue();
            // The stored log, as a reader gets it; it may be stored again meanwhile, with the cache's line.
            assertThat(storage.head(ObjectKeys.log(id)))
                    .map(ObjectMetadata::length)
                    .hasValueSatisfying(size -> assertThat(size).isBetween(9L * 1024 * 1024, 10L * 1024 * 1024));
        } finally {
            LocalProcess.stop(service, Duration.ofSeconds(10));
        }
    }

    @Test
    void buildDiesWithAServiceThatIsKilledAndTheNextReplicaRemovesWhatItLeft() throws Exception {
        String sleeper = TestProcesses.marker();
        Process service = start(LocalProcess.freePort(), "process-test");
        deployment("""
                {"name": "slow", "version": "1.0.0", "private": true, "scripts": {"build": "sleep %s"}}
                """.formatted(sleeper));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !TestProcesses.withArgument(sleeper).isEmpty());

        service.destroyForcibly().waitFor();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> TestProcesses.withArgument(sleeper).isEmpty());
        List<Path> left;
        try (var folders = Files.list(folder.resolve("builds"))) {
            left = folders.toList();
        }
        assertThat(left)
                .as("the killed replica's build folder, its disk still mounted")
                .hasSize(1);
        Process next = start(LocalProcess.freePort(), "process-test-next");
        try {
            assertThat(left.get(0)).doesNotExist();
        } finally {
            LocalProcess.stop(next, Duration.ofSeconds(10));
        }
    }

    /** Starts the service and waits until it is healthy. */
    private Process start(int port) throws IOException {
        return start(port, "process-test");
    }

    private Process start(int port, String replica) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        HEAP,
                        "-XX:+ExitOnOutOfMemoryError",
                        "-XX:TieredStopAtLevel=1",
                        "-Daws.accessKeyId=" + S3Server.ACCESS_KEY,
                        "-Daws.secretAccessKey=" + S3Server.SECRET_KEY,
                        "-cp",
                        System.getProperty("java.class.path"),
                        DeployServiceApplication.class.getName()))
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve("service.log").toFile());
        builder.environment().putAll(servers.environment());
        builder.environment()
                .putAll(Map.of(
                        "SERVER_PORT",
                        Integer.toString(port),
                        "DEPLOY_WORKERS",
                        "1",
                        "DEPLOY_REPLICA_NAME",
                        replica,
                        "DEPLOY_WORK_DIR",
                        BuildFolders.reachable(folder.resolve("builds")).toString()));
        Process service = builder.start();
        await().atMost(Duration.ofSeconds(90))
                .failFast("the service exited; see " + folder.resolve("service.log"), () -> !service.isAlive())
                .until(() -> LocalProcess.healthy(port));
        return service;
    }

    /** A deployment whose sources are this package.json, queued. */
    private DeploymentId deployment(String manifest) {
        DeploymentId id = DeploymentId.random();
        transitions.accept(
                Deployment.accepted(
                        id,
                        "https://git.example.com/loud.git",
                        null,
                        null,
                        Clock.systemUTC().instant()),
                Duration.ofHours(1));
        byte[] content = manifest.getBytes(StandardCharsets.UTF_8);
        storage.putAll(List.of(new ObjectUpload(
                ObjectKeys.sources(id) + "package.json",
                content.length,
                "application/json",
                () -> new ByteArrayInputStream(content))));
        transitions.upload(id, "0123456789abcdef0123456789abcdef01234567");
        return id;
    }
}
