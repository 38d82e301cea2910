package dev.deploypipeline.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.testing.LocalProcess;
import dev.deploypipeline.testing.PipelineServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/run-service.sh, the one launcher of every service, run as run-local.sh and the images run it. */
class ServiceLauncherTest {

    private static final Path LAUNCHER =
            Path.of("..", "scripts", "run-service.sh").toAbsolutePath().normalize();

    /** One start archive for the class: making it is a training run of the service. */
    @TempDir
    static Path cache;

    @TempDir
    Path temp;

    private static PipelineServers servers;

    @BeforeAll
    static void startServers() {
        servers = PipelineServers.start();
    }

    @AfterAll
    static void stopServers() {
        servers.close();
    }

    @Test
    void theServiceIsTheLaunchersOwnProcessWithItsEnvironmentAndStopsGracefullyOnSigterm() throws Exception {
        int port = LocalProcess.freePort();
        Map<String, String> environment = environment();
        environment.put("SERVER_PORT", Integer.toString(port));
        Path log = temp.resolve("request-handler.log");

        Process process = start(environment, log);
        try {
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(200))
                    .failFast("the service exited; see " + log, () -> !process.isAlive())
                    .until(() -> LocalProcess.healthy(port));
            // exec: the launcher's process is the JVM, so an orchestrator's signals reach the service itself.
            assertThat(process.info().command())
                    .hasValueSatisfying(command -> assertThat(command).endsWith("/java"));
            assertThat(process.info().arguments().map(List::of))
                    .hasValueSatisfying(arguments -> assertThat(arguments)
                            .contains("-XX:+UseSerialGC", "-Dspring.aot.enabled=true")
                            .anyMatch(argument -> argument.startsWith("-XX:SharedArchiveFile=")
                                    || argument.startsWith("-XX:AOTCache=")));

            process.destroy(); // SIGTERM

            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as("stopped within 60 s")
                    .isTrue();
            assertThat(process.exitValue()).isEqualTo(143);
            assertThat(Files.readString(log)).contains("Graceful shutdown complete");
        } finally {
            LocalProcess.stop(process, Duration.ofSeconds(10));
        }
    }

    @Test
    void aManagementPortOfItsOwnIsHonouredThoughSpringAotWouldIgnoreIt() throws Exception {
        int port = LocalProcess.freePort();
        int management = LocalProcess.freePort();
        Map<String, String> environment = environment();
        environment.put("SERVER_PORT", Integer.toString(port));
        environment.put("MANAGEMENT_SERVER_PORT", Integer.toString(management));
        Path log = temp.resolve("request-handler-management.log");

        Process process = start(environment, log);
        try {
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(200))
                    .failFast("the service exited; see " + log, () -> !process.isAlive())
                    .until(() -> LocalProcess.healthy(management));
            assertThat(Files.readString(log)).contains("starting without Spring AOT");
        } finally {
            LocalProcess.stop(process, Duration.ofSeconds(30));
        }
    }

    @Test
    void theStartArchiveIsMadeOnceAndReusedAfterwards() throws IOException {
        ProgramRun first = prepare();
        assertThat(first.exitCode()).as(first.output()).isZero();
        Path archive = archive();
        FileTime made = Files.getLastModifiedTime(archive);

        ProgramRun second = prepare();

        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).doesNotContain("unpacking");
        assertThat(Files.getLastModifiedTime(archive)).isEqualTo(made);
    }

    @Test
    void anUnknownServiceIsRefusedWithTheUsage() {
        ProgramRun run = ProgramRun.of(
                List.of(LAUNCHER.toString(), "../../../etc/passwd"),
                environment(),
                Duration.ofSeconds(30),
                temp.resolve("unknown.log"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("usage:", "upload-service|deploy-service|request-handler");
    }

    @Test
    void aMissingJarIsNamedWithHowToBuildIt() {
        Map<String, String> environment = environment();
        environment.put("SERVICE_JAR", temp.resolve("nothing-here.jar").toString());

        ProgramRun run = ProgramRun.of(
                List.of(LAUNCHER.toString(), "request-handler"),
                environment,
                Duration.ofSeconds(30),
                temp.resolve("missing.log"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("nothing-here.jar is missing", "./mvnw -B -DskipTests package");
    }

    private static Process start(Map<String, String> environment, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "request-handler")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    private ProgramRun prepare() {
        return ProgramRun.of(
                List.of(LAUNCHER.toString(), "--prepare", "request-handler"),
                environment(),
                Duration.ofMinutes(3),
                temp.resolve("prepare-" + System.nanoTime() + ".log"));
    }

    private static Path archive() throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            return files.filter(file ->
                            file.toString().endsWith(".jsa") || file.toString().endsWith(".aot"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no start archive in " + cache));
        }
    }

    private static Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>(servers.environment());
        environment.put("SERVICE_JAR", ServiceProcess.jar("request-handler").toString());
        environment.put("SERVICE_CACHE_DIR", cache.toString());
        return environment;
    }
}
