package dev.deploypipeline.deploy.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.deploypipeline.deployment.DeploymentId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the service checks at start, and the command lines it starts builds with. */
class BuildSandboxTest {

    private static final HostTools TOOLS = HostTools.find(System.getenv("PATH"));

    @TempDir
    Path workDir;

    @Test
    void fullIsolationIsRefusedToAServiceThatIsNotRootNamingWhatToDo() {
        var check =
                new BuildSandbox.FullIsolationCheck(TestSandbox.defaults(), workDir, TOOLS, false, Optional.empty());

        assertThatThrownBy(check::run)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(
                        "BUILD_ISOLATION=full, but this machine cannot isolate builds: this service is" + " not root")
                .hasMessageEndingWith("or set BUILD_ISOLATION=none to run builds without isolation (see the README:"
                        + " only for code you trust)");
    }

    @Test
    void aWorkFolderTheBuildsUidsCannotReachIsRefusedAtStartNamingTheSettingOnce() throws IOException {
        Path hidden = Files.createDirectories(workDir.resolve("private"));
        Files.setPosixFilePermissions(hidden, PosixFilePermissions.fromString("rwx------"));

        Throwable refusal = catchThrowable(() -> BuildSandbox.start(
                TestSandbox.defaults(),
                hidden.resolve("builds"),
                TestSandbox.gate(TestSandbox.defaults(), List.of()),
                System.getenv("PATH"),
                System.getenv()));

        assertThat(refusal)
                .hasMessageContaining("a build's uid cannot pass through the folders above DEPLOY_WORK_DIR "
                        + hidden.resolve("builds"))
                .hasMessageContaining("chmod o+x");
        assertThat(refusal.getMessage()).containsOnlyOnce("DEPLOY_WORK_DIR");
    }

    @Test
    void theCommandLineOfABuildHasOnlyAbsoluteProgramsOfTheMachineAndTheBuildsOwnAtItsEnd() throws IOException {
        BuildSandbox sandbox = TestSandbox.full(workDir);
        try (SandboxedBuild build = sandbox.open(DeploymentId.random())) {
            BubblewrapLauncher launcher = new BubblewrapLauncher(
                    TOOLS,
                    build.workspace(),
                    900_000_001,
                    List.of(Path.of("/sys/fs/cgroup/pids/x/cgroup.procs")),
                    Path.of("/run/relay.js"),
                    Path.of("/run/gate.sock"));

            Launcher.Launch launch = launcher.launch(
                    List.of("npm", "run", "build"),
                    build.workspace().source(),
                    Map.of("SECRET_TOKEN", "s3cr3t-value", "PATH", "/build/home/.build-tools:/usr/bin"));

            List<String> command = launch.command();
            assertThat(command.get(0)).isEqualTo(TOOLS.sh().toString());
            assertThat(command)
                    .containsSubsequence(
                            TOOLS.setpriv().toString(),
                            "--reuid=900000001",
                            "--no-new-privs",
                            TOOLS.bwrap().toString(),
                            "--args",
                            "0",
                            "--",
                            TOOLS.node().toString());
            assertThat(command.subList(command.size() - 4, command.size()))
                    .containsExactly("--", "npm", "run", "build");
            assertThat(String.join(" ", command))
                    .as("the build's environment never reaches a privileged program")
                    .doesNotContain("s3cr3t-value", ".build-tools");
            String options = new String(launch.input(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(options.split("\0"))
                    .containsSubsequence("--clearenv", "--setenv", "SECRET_TOKEN", "s3cr3t-value")
                    .contains("--unshare-all", "--disable-userns", "--die-with-parent", "--chdir", "/build/source");
        }
    }

    @Test
    void withoutIsolationTheEnvironmentIsAppliedByTheLastProgramBeforeTheBuilds() {
        SessionLauncher launcher = new SessionLauncher(
                TOOLS,
                Optional.of(900_000_002),
                org.springframework.util.unit.DataSize.ofGigabytes(1),
                100,
                org.springframework.util.unit.DataSize.ofGigabytes(2));

        List<String> command = launcher.launch(List.of("npm", "ci"), workDir, Map.of("TOKEN", "t0ken"))
                .command();

        assertThat(command)
                .containsSubsequence(
                        TOOLS.setpriv().toString(),
                        "--reuid=900000002",
                        TOOLS.prlimit().toString(),
                        "--nproc=100",
                        TOOLS.setsid().toString(),
                        TOOLS.env().toString(),
                        "-i",
                        "--",
                        "TOKEN=t0ken",
                        "npm",
                        "ci");
        assertThat(command.indexOf("TOKEN=t0ken"))
                .isGreaterThan(command.indexOf(TOOLS.env().toString()));
    }

    @Test
    void findsTheServicesCgroupInEitherHierarchy() throws IOException {
        Path root = Files.createDirectories(workDir.resolve("v1"));
        Files.createDirectories(root.resolve("sys/fs/cgroup/memory/docker/abc"));
        List<String> v1 = List.of(
                "35 25 0:30 /docker /sys/fs/cgroup/memory rw,relatime shared:14 - cgroup cgroup rw,memory",
                "36 25 0:31 / /sys/fs/cgroup/pids rw,relatime shared:15 - cgroup cgroup rw,pids",
                "37 25 0:32 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:16 - cgroup cgroup rw,cpu,cpuacct");
        CgroupLimits limits = CgroupLimits.detect(
                v1, List.of("4:memory:/docker/abc", "8:pids:/builds", "3:cpu,cpuacct:/builds"), root);

        assertThat(limits.describe()).isEqualTo("cgroup v1 (memory, pids, cpu)");
        assertThat(limits.cpuBuilds()).isEqualTo(root.resolve("sys/fs/cgroup/cpu,cpuacct/builds/deploy-builds"));

        Path unified = Files.createDirectories(workDir.resolve("v2/sys/fs/cgroup/service"));
        Files.writeString(unified.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        CgroupLimits v2 = CgroupLimits.detect(
                List.of("30 25 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw"),
                List.of("0::/service"),
                workDir.resolve("v2"));
        assertThat(v2.describe()).isEqualTo("cgroup v2 (memory, pids, cpu)");

        assertThatThrownBy(() -> CgroupLimits.detect(List.of(), List.of("0::/"), root))
                .hasMessageContaining("neither cgroup v2");
    }

    /** A build's CPU time is held as its memory and processes are: without the cpu controller, none is made. */
    @Test
    void aMachineWithoutTheCpuControllerGivesNoCgroupsNamingWhatItHas() throws IOException {
        Path root = Files.createDirectories(workDir.resolve("v1"));
        List<String> v1 = List.of(
                "35 25 0:30 / /sys/fs/cgroup/memory rw,relatime shared:14 - cgroup cgroup rw,memory",
                "36 25 0:31 / /sys/fs/cgroup/pids rw,relatime shared:15 - cgroup cgroup rw,pids",
                "38 25 0:33 / /sys/fs/cgroup/cpuacct rw,relatime shared:17 - cgroup cgroup rw,cpuacct",
                "39 25 0:34 / /sys/fs/cgroup/cpuset rw,relatime shared:18 - cgroup cgroup rw,cpuset");

        assertThatThrownBy(() ->
                        CgroupLimits.detect(v1, List.of("4:memory:/", "8:pids:/", "2:cpuacct:/", "3:cpuset:/"), root))
                .hasMessage("neither cgroup v2 with the memory, pids and cpu controllers nor cgroup v1's memory, pids"
                        + " and cpu hierarchies are mounted and writable here (cgroup v1 has only memory, pids)");

        Path unified = Files.createDirectories(workDir.resolve("v2/sys/fs/cgroup/service"));
        Files.writeString(unified.resolve("cgroup.controllers"), "memory pids\n");
        assertThatThrownBy(() -> CgroupLimits.detect(
                        List.of("30 25 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw"),
                        List.of("0::/service"),
                        workDir.resolve("v2")))
                .hasMessageStartingWith("neither cgroup v2 with the memory, pids and cpu controllers")
                .hasMessageNotContaining("cgroup v1 has");
    }

    @Test
    void withoutBuildCpusABuildsGroupInTheCpuHierarchyHasItsWeightAndNoQuota() throws IOException {
        CgroupLimits limits = v1WithCpu();

        BuildCgroup build = limits.create("b1", org.springframework.util.unit.DataSize.ofMegabytes(512), 99, null);

        Path cpu = workDir.resolve("sys/fs/cgroup/cpu/service/deploy-builds/b1");
        assertThat(cpu).isDirectory();
        assertThat(cpu.resolve("cpu.cfs_quota_us")).doesNotExist();
        assertThat(build.joinFiles()).contains(cpu.resolve("cgroup.procs"));
    }

    @Test
    void onCgroupV1ABuildHasAGroupInTheCpuHierarchyWithItsQuota() throws IOException {
        CgroupLimits limits = v1WithCpu();

        BuildCgroup build = limits.create("b1", org.springframework.util.unit.DataSize.ofMegabytes(512), 99, 1.5);

        Path cpu = workDir.resolve("sys/fs/cgroup/cpu/service/deploy-builds/b1");
        assertThat(cpu.resolve("cpu.cfs_period_us")).hasContent("100000");
        assertThat(cpu.resolve("cpu.cfs_quota_us")).hasContent("150000");
        assertThat(workDir.resolve("sys/fs/cgroup/pids/deploy-builds/b1/pids.max"))
                .hasContent("99");
        assertThat(build.joinFiles())
                .containsExactly(
                        workDir.resolve("sys/fs/cgroup/memory/deploy-builds/b1/cgroup.procs"),
                        workDir.resolve("sys/fs/cgroup/pids/deploy-builds/b1/cgroup.procs"),
                        cpu.resolve("cgroup.procs"));
    }

    /** cgroup v2 hands controllers only to children of a cgroup that holds no process itself. */
    @Test
    void onCgroupV2TheServiceMovesAsideSoItsBuildsCanHaveMemoryPidsAndCpuLimits() throws IOException {
        Path own = Files.createDirectories(workDir.resolve("sys/fs/cgroup/service"));
        Files.writeString(own.resolve("cgroup.controllers"), "cpu memory pids\n");
        Files.writeString(own.resolve("cgroup.procs"), "4242\n");
        CgroupLimits v2 = CgroupLimits.detect(
                List.of("30 25 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw"), List.of("0::/service"), workDir);

        BuildCgroup build = v2.create("b1", org.springframework.util.unit.DataSize.ofMegabytes(512), 99, 0.5);

        assertThat(own.resolve("deploy-service/cgroup.procs")).hasContent("4242");
        assertThat(own.resolve("cgroup.subtree_control")).hasContent("+memory +pids +cpu");
        assertThat(own.resolve("deploy-builds/cgroup.subtree_control")).hasContent("+memory +pids +cpu");
        assertThat(own.resolve("deploy-builds/b1/memory.max")).hasContent(Long.toString(512L * 1024 * 1024));
        assertThat(own.resolve("deploy-builds/b1/pids.max")).hasContent("99");
        assertThat(own.resolve("deploy-builds/b1/cpu.max")).hasContent("50000 100000");
        assertThat(build.joinFiles()).containsExactly(own.resolve("deploy-builds/b1/cgroup.procs"));
    }

    /** A {@code deploy-builds} an older version made, which gives its builds memory and pids only. */
    @Test
    void onCgroupV2BuildsBelowAnOlderVersionsFolderGetTheCpuControllerToo() throws IOException {
        Path own = Files.createDirectories(workDir.resolve("sys/fs/cgroup/service"));
        Files.writeString(own.resolve("cgroup.controllers"), "cpu memory pids\n");
        Files.writeString(own.resolve("cgroup.procs"), "");
        Files.writeString(own.resolve("cgroup.subtree_control"), "memory pids\n");
        Files.createDirectories(own.resolve("deploy-builds"));
        Files.writeString(own.resolve("deploy-builds/cgroup.subtree_control"), "memory pids\n");
        CgroupLimits v2 = CgroupLimits.detect(
                List.of("30 25 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw"), List.of("0::/service"), workDir);

        v2.create("b1", org.springframework.util.unit.DataSize.ofMegabytes(512), 99, 2.0);

        assertThat(own.resolve("cgroup.subtree_control")).hasContent("+memory +pids +cpu");
        assertThat(own.resolve("deploy-builds/cgroup.subtree_control")).hasContent("+memory +pids +cpu");
        assertThat(own.resolve("deploy-builds/b1/cpu.max")).hasContent("200000 100000");
    }

    /** cgroup v1 with the memory, pids and cpu hierarchies, this service in {@code /service} of the cpu one. */
    private CgroupLimits v1WithCpu() throws IOException {
        List<String> v1 = List.of(
                "35 25 0:30 / /sys/fs/cgroup/memory rw,relatime shared:14 - cgroup cgroup rw,memory",
                "36 25 0:31 / /sys/fs/cgroup/pids rw,relatime shared:15 - cgroup cgroup rw,pids",
                "37 25 0:32 / /sys/fs/cgroup/cpu rw,relatime shared:16 - cgroup cgroup rw,cpu");
        return CgroupLimits.detect(v1, List.of("4:memory:/", "8:pids:/", "1:cpu:/service"), workDir);
    }
}
