package dev.deploypipeline.deploy.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deploy.DeploySettings;
import dev.deploypipeline.deploy.log.BuildLog;
import dev.deploypipeline.deploy.metrics.BuildPhases;
import dev.deploypipeline.deploy.sandbox.BuildSandbox;
import dev.deploypipeline.deploy.sandbox.BuildWorkspace;
import dev.deploypipeline.deploy.sandbox.SandboxedBuild;
import dev.deploypipeline.deploy.sandbox.TestSandbox;
import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.testing.NpmRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** The runner with real child processes; plans are given directly, so any command can stand for a build. */
class BuildRunnerTest {

    private static final Duration LONG_ENOUGH = Duration.ofSeconds(30);
    /** What the egress relay, the first process of every command, adds: the way to the network gate. */
    private static final Set<String> PROXY_VARIABLES = Set.of(
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "http_proxy",
            "https_proxy",
            "ALL_PROXY",
            "all_proxy",
            "npm_config_proxy",
            "npm_config_https_proxy",
            "YARN_HTTP_PROXY",
            "YARN_HTTPS_PROXY",
            "NODE_USE_ENV_PROXY",
            "NO_PROXY",
            "no_proxy",
            "npm_config_noproxy",
            "npm_config_no_proxy");

    @TempDir
    Path workDir;

    private BuildSandbox sandbox;
    private SandboxedBuild build;
    private BuildWorkspace workspace;
    private BuildLog buildLog;
    private final BuildControl control = new BuildControl();

    @BeforeEach
    void freshWorkspace() throws IOException {
        sandbox = TestSandbox.full(workDir);
        build = sandbox.open(DeploymentId.random());
        workspace = build.workspace();
        buildLog = BuildLog.fileOnly(workspace.log(), Clock.systemUTC(), DataSize.ofMegabytes(10));
    }

    @AfterEach
    void removeWorkspace() throws IOException {
        buildLog.close();
        build.close();
        assertThat(workDir).as("nothing of the build is left").isEmptyDirectory();
    }

    @Test
    void buildSeesPathHomeCiAndItsOwnVariablesButNoneOfTheServices() throws Exception {
        BuildPlan plan = plan(Map.of("GREETING", "hello"), BuildCommand.of("env"));

        runner(LONG_ENOUGH).run(plan, build, buildLog, control);

        Map<String, String> environment = logLines().stream()
                .filter(line -> line.matches("[A-Za-z_][A-Za-z0-9_]*=.*"))
                .collect(Collectors.toMap(
                        line -> line.substring(0, line.indexOf('=')), line -> line.substring(line.indexOf('=') + 1)));
        Set<String> expected = new HashSet<>(Set.of("PATH", "HOME", "CI", "GREETING", "PWD"));
        expected.addAll(PROXY_VARIABLES);
        TestSandbox.defaults().inheritEnv().stream()
                .filter(name -> NpmRegistry.serviceEnvironment().get(name) != null)
                .forEach(expected::add);
        assertThat(environment)
                .containsOnlyKeys(expected)
                .containsEntry("HOME", "/build/home")
                .containsEntry("CI", "true")
                .containsEntry("GREETING", "hello")
                .containsEntry("PATH", String.join(":", sandbox.path()));
        assertThat(System.getenv())
                .as("this JVM's variables (set in the pom), which the build must not see")
                .containsKeys("AWS_SECRET_ACCESS_KEY", "REDIS_URL");
    }

    @Test
    void theBuildsOwnVariablesCannotReplaceThePathOrHomeThePipelineSets() throws Exception {
        BuildPlan plan = plan(Map.of("PATH", "/build/source/bin", "HOME", "/"), BuildCommand.of("env"));

        runner(LONG_ENOUGH).run(plan, build, buildLog, control);

        assertThat(logLines()).contains("HOME=/build/home", "PATH=" + String.join(":", sandbox.path()));
    }

    @Test
    void commandsRunAsABuildUidOfTheirOwnWhoIsNamedBuildInsideTheSandbox() throws Exception {
        runner(LONG_ENOUGH)
                .run(
                        plan(Map.of(), BuildCommand.of("sh", "-c", "echo \"$(id -un) $(id -u) $(id -G)\"")),
                        build,
                        buildLog,
                        control);

        String line = logLines().stream()
                .filter(text -> text.startsWith("build "))
                .findFirst()
                .orElseThrow();
        String[] who = line.split(" ");
        assertThat(Integer.parseInt(who[1]))
                .as("a uid of BUILD_UIDS")
                .isBetween(
                        TestSandbox.defaults().uids().first(),
                        TestSandbox.defaults().uids().last());
        assertThat(who[2]).as("its own group, and no other").isEqualTo(who[1]);
        assertThat(who).hasSize(3);
    }

    @Test
    void failedCommandReportsItsStepExitCodeAndTheLastTwentyLinesOfTheLog() {
        BuildPlan plan =
                plan(Map.of(), BuildCommand.of("sh", "-c", "for i in $(seq 1 40); do echo line $i; done; exit 3"));

        assertThatThrownBy(() -> runner(LONG_ENOUGH).run(plan, build, buildLog, control))
                .isInstanceOf(BuildFailedException.class)
                .hasMessageStartingWith("build failed: `sh -c for i in $(seq 1 40); do echo line $i; done; exit 3`"
                        + " exited with code 3\n")
                .hasMessageContaining("line 22\n")
                .hasMessageEndingWith("line 40\n[exited with code 3]")
                .hasMessageNotContaining("line 21\n");
    }

    @Test
    void failedInstallIsNamedAsTheInstallStep() {
        BuildPlan plan = plan(Map.of(), BuildCommand.shell(BuildCommand.INSTALL, "echo 'no such package' >&2; exit 7"));

        assertThatThrownBy(() -> runner(LONG_ENOUGH).run(plan, build, buildLog, control))
                .hasMessageStartingWith("install failed: `echo 'no such package' >&2; exit 7` exited with code 7\n")
                .hasMessageContaining("no such package");
    }

    @Test
    void buildPastTheTimeLimitIsKilledWithItsChildrenAndGrandchildren() throws IOException {
        String child = TestProcesses.marker();
        String grandchild = TestProcesses.marker();
        BuildPlan plan =
                plan(Map.of(), BuildCommand.of("sh", "-c", "sh -c 'sleep " + grandchild + "; true' & sleep " + child));

        CompletableFuture<Void> running = runInBackground(runner(Duration.ofSeconds(3)), plan);
        await().atMost(LONG_ENOUGH)
                .until(() -> !TestProcesses.withArgument(grandchild).isEmpty()
                        && !TestProcesses.withArgument(child).isEmpty());

        assertThatThrownBy(running::join)
                .hasCauseInstanceOf(BuildFailedException.class)
                .cause()
                .hasMessageStartingWith("build timed out after 3s: `sh -c sh -c 'sleep");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> TestProcesses.withArgument(child).isEmpty()
                        && TestProcesses.withArgument(grandchild).isEmpty());
        assertThat(logLines()).contains("[killed: the build ran longer than 3s]");
    }

    @Test
    void daemonsACommandLeavesBehindAreKilledWhenItEnds() throws Exception {
        String detached = TestProcesses.marker();
        String nohup = TestProcesses.marker();
        BuildPlan plan = plan(
                Map.of(),
                BuildCommand.of(
                        "sh",
                        "-c",
                        "setsid sh -c 'sleep " + detached + "' >/dev/null 2>&1 </dev/null &"
                                + " nohup sleep " + nohup + " >/dev/null 2>&1 &"
                                + " sleep 2; echo started two daemons"));

        CompletableFuture<Void> running = runInBackground(runner(LONG_ENOUGH), plan);
        await().atMost(LONG_ENOUGH)
                .until(() -> !TestProcesses.withArgument(detached).isEmpty()
                        && !TestProcesses.withArgument(nohup).isEmpty());
        running.join();

        assertThat(logLines()).contains("started two daemons", "[exited with code 0]");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> TestProcesses.withArgument(detached).isEmpty()
                        && TestProcesses.withArgument(nohup).isEmpty());
    }

    @Test
    void backgroundProcessesACommandLeavesAreKilledWhenItEndsWithoutIsolationToo(@TempDir Path otherWorkDir)
            throws Exception {
        BuildSandbox unisolated = TestSandbox.start(TestSandbox.withoutIsolation(), otherWorkDir);
        try (SandboxedBuild held = unisolated.open(DeploymentId.random());
                BuildLog heldLog =
                        BuildLog.fileOnly(held.workspace().log(), Clock.systemUTC(), DataSize.ofMegabytes(1))) {
            String background = TestProcesses.marker();
            String doubleForked = TestProcesses.marker();
            BuildPlan plan = new BuildPlan(
                    held.workspace().source(),
                    List.of(BuildCommand.of(
                            "sh",
                            "-c",
                            "setsid nohup sleep " + background + " >/dev/null 2>&1 & (sleep " + doubleForked
                                    + " >/dev/null 2>&1 &); sleep 1")),
                    List.of(),
                    Map.of(),
                    List.of(),
                    "test",
                    Optional.empty());

            CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
                try {
                    runner(unisolated, LONG_ENOUGH).run(plan, held, heldLog, control);
                } catch (IOException | InterruptedException e) {
                    throw new CompletionException(e);
                }
            });
            await().atMost(LONG_ENOUGH)
                    .until(() -> !TestProcesses.withArgument(background).isEmpty()
                            && !TestProcesses.withArgument(doubleForked).isEmpty());
            running.join();

            await().atMost(Duration.ofSeconds(5))
                    .until(() -> TestProcesses.withArgument(background).isEmpty()
                            && TestProcesses.withArgument(doubleForked).isEmpty());
        }
    }

    @Test
    void withoutIsolationEveryBuildsLogSaysSo(@TempDir Path otherWorkDir) throws Exception {
        BuildSandbox unisolated = TestSandbox.start(TestSandbox.withoutIsolation(), otherWorkDir);
        try (SandboxedBuild held = unisolated.open(DeploymentId.random())) {
            assertThat(held.describe()).startsWith("BUILD_ISOLATION=none: builds are NOT isolated from this machine");
        }
    }

    @Test
    void stoppedBuildIsKilledAtOnce() throws IOException {
        String sleeper = TestProcesses.marker();
        BuildPlan plan =
                plan(Map.of(), BuildCommand.of("sh", "-c", "sleep " + sleeper), BuildCommand.of("touch", "ran"));
        CompletableFuture<Void> running = runInBackground(runner(LONG_ENOUGH), plan);
        await().atMost(LONG_ENOUGH)
                .until(() -> !TestProcesses.withArgument(sleeper).isEmpty());

        control.stop("the deployment was cancelled");

        await().atMost(Duration.ofSeconds(2)).until(running::isDone);
        assertThatThrownBy(running::join).hasCauseInstanceOf(BuildStoppedException.class);
        assertThat(TestProcesses.withArgument(sleeper)).isEmpty();
        assertThat(workspace.source().resolve("ran")).doesNotExist();
        assertThat(logLines()).contains("[killed: the deployment was cancelled]");
    }

    @Test
    void commandsAfterAFailedOneDoNotRun() {
        BuildPlan plan = plan(Map.of(), BuildCommand.of("false"), BuildCommand.of("touch", "ran"));

        assertThatThrownBy(() -> runner(LONG_ENOUGH).run(plan, build, buildLog, control))
                .hasMessageStartingWith("build failed: `false` exited with code 1");
        assertThat(workspace.source().resolve("ran")).doesNotExist();
    }

    @Test
    void buildWithoutSourcesFails() {
        assertThatThrownBy(() -> runner(LONG_ENOUGH).build(build, BuildSettings.NONE, buildLog, control))
                .isInstanceOf(BuildFailedException.class)
                .hasMessage("there are no source files to build");
    }

    @Test
    void aBuildWritesOnlyItsOwnFoldersAndSeesNoOtherBuildNorThisService() throws Exception {
        try (SandboxedBuild neighbour = sandbox.open(DeploymentId.random())) {
            Files.writeString(neighbour.workspace().source().resolve("secret.txt"), "the neighbour's");
            String escape = "/var/tmp/escaped-" + TestProcesses.marker();
            BuildPlan plan = plan(
                    Map.of(),
                    BuildCommand.of(
                            "sh",
                            "-c",
                            String.join(
                                    "; ",
                                    "touch written-here && echo wrote the source folder",
                                    "touch \"$HOME/in-home\" && echo wrote home",
                                    "touch /tmp/scratch && echo wrote /tmp",
                                    "touch " + escape + " 2>/dev/null || echo could not write /var/tmp",
                                    "touch /usr/escaped 2>/dev/null || echo could not write /usr",
                                    "test -e " + neighbour.workspace().root()
                                            + " && echo neighbour seen || echo neighbour hidden",
                                    "cat " + neighbour.workspace().source().resolve("secret.txt")
                                            + " 2>/dev/null || echo no neighbour",
                                    "test -e " + workDir + " && echo work folder seen || echo work folder hidden",
                                    "echo processes: $(ls /proc | grep -c '^[0-9]')",
                                    "kill -0 " + ProcessHandle.current().pid()
                                            + " 2>/dev/null && echo service seen || echo service hidden",
                                    "tr '\\0' '\\n' </proc/1/environ | grep -q '^AWS_' && echo read the service environment"
                                            + " || echo no service environment")));

            runner(LONG_ENOUGH).run(plan, build, buildLog, control);

            List<String> lines = logLines();
            assertThat(lines)
                    .contains(
                            "wrote the source folder",
                            "wrote home",
                            "wrote /tmp",
                            "could not write /var/tmp",
                            "could not write /usr",
                            "neighbour hidden",
                            "no neighbour",
                            "work folder hidden",
                            "service hidden",
                            "no service environment");
            assertThat(lines.stream()
                            .filter(line -> line.startsWith("processes: "))
                            .findFirst()
                            .orElseThrow())
                    .as("its own few processes: the namespace's init, the relay, sh and ls")
                    .matches("processes: [1-6]");
            assertThat(Path.of(escape)).doesNotExist();
            assertThat(workspace.source().resolve("written-here")).exists();
        }
    }

    private CompletableFuture<Void> runInBackground(BuildRunner runner, BuildPlan plan) {
        return CompletableFuture.runAsync(() -> {
            try {
                runner.run(plan, build, buildLog, control);
            } catch (IOException | InterruptedException e) {
                throw new CompletionException(e);
            }
        });
    }

    /** The log's lines without their times. */
    private List<String> logLines() throws IOException {
        buildLog.close();
        return Files.readAllLines(workspace.log()).stream()
                .map(line -> line.substring(line.indexOf(' ') + 1))
                .toList();
    }

    private BuildPlan plan(Map<String, String> environment, BuildCommand... commands) {
        return new BuildPlan(
                workspace.source(), List.of(commands), List.of(), environment, List.of(), "test", Optional.empty());
    }

    private BuildRunner runner(Duration timeout) {
        return runner(sandbox, timeout);
    }

    private BuildRunner runner(BuildSandbox buildSandbox, Duration timeout) {
        DeploySettings settings =
                new DeploySettings(1, timeout, workDir, "test", Duration.ofSeconds(30), DataSize.ofGigabytes(1));
        return new BuildRunner(
                new BuildPlanner(),
                buildSandbox,
                settings,
                Clock.systemUTC(),
                new BuildPhases(new SimpleMeterRegistry(), Clock.systemUTC()));
    }
}
