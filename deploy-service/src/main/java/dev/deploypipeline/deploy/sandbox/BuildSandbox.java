package dev.deploypipeline.deploy.sandbox;

import dev.deploypipeline.deploy.SettingFormat;
import dev.deploypipeline.deploy.sandbox.BuildIdentities.BuildIdentity;
import dev.deploypipeline.deploy.sandbox.SandboxSettings.Isolation;
import dev.deploypipeline.deployment.DeploymentId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.unit.DataSize;

/**
 * What holds builds on this replica, decided once at start. With {@code BUILD_ISOLATION=full} (the default) the
 * service refuses to start unless the machine gives every part of it: root (to hand out uids), bubblewrap with
 * user namespaces, cgroups with memory, pids and cpu, and loop devices for the builds' disks; it names what is
 * missing. With {@code none} it starts anyway and says, at start and in every build's log, what builds then
 * are not held to.
 */
public final class BuildSandbox {

    private static final Logger log = LoggerFactory.getLogger(BuildSandbox.class);
    private static final String RELAY_RESOURCE = "egress/relay.js";
    /**
     * The relay and the gates' sockets, root's, which the builds' uids pass through: a short path, as a socket's
     * address holds about 100 bytes.
     */
    private static final Path EGRESS = Path.of("/run/deploy-pipeline/egress");

    private static final Pattern WORKSPACE_NAME = Pattern.compile("[a-z2-7]{16}-u(\\d+)-[0-9a-f]+");
    /** Folders of the machine a build sees, read-only; its PATH keeps only the service's entries inside them. */
    private static final List<Path> VISIBLE =
            Stream.of("/usr", "/bin", "/sbin", "/opt").map(Path::of).toList();

    private final SandboxSettings settings;
    private final Path workDir;
    private final HostTools tools;
    private final Optional<BuildIdentities> identities;
    private final Optional<CgroupLimits> cgroups;
    private final NetworkGate gate;
    private final Path relay;
    private final Map<String, String> inherited;
    private final List<String> path;
    private final String description;

    private BuildSandbox(
            SandboxSettings settings,
            Path workDir,
            HostTools tools,
            Optional<BuildIdentities> identities,
            Optional<CgroupLimits> cgroups,
            NetworkGate gate,
            Path relay,
            Map<String, String> inherited,
            List<String> path) {
        this.settings = settings;
        this.workDir = workDir;
        this.tools = tools;
        this.identities = identities;
        this.cgroups = cgroups;
        this.gate = gate;
        this.relay = relay;
        this.inherited = Map.copyOf(inherited);
        this.path = List.copyOf(path);
        this.description = cgroups.isPresent()
                ? fullDescription()
                : sessionLauncher(Optional.empty()).describe();
    }

    /**
     * Looks at what this machine and this process allow, refuses to start when full isolation was asked for and
     * cannot be had, and says at start what builds will get.
     *
     * @param servicePath this service's PATH: where node and the build tools are found
     * @param environment this service's environment, for the variables {@code BUILD_INHERIT_ENV} names
     */
    public static BuildSandbox start(
            SandboxSettings settings,
            Path workDir,
            NetworkGate gate,
            String servicePath,
            Map<String, String> environment) {
        Path folder = workDir.toAbsolutePath();
        HostTools tools = HostTools.find(servicePath);
        boolean root = isRoot();
        Optional<BuildIdentities> identities =
                root ? Optional.of(new BuildIdentities(settings.uids(), BuildIdentities.LOCKS)) : Optional.empty();
        Map<String, String> inherited = new LinkedHashMap<>();
        settings.inheritEnv()
                .forEach(name ->
                        Optional.ofNullable(environment.get(name)).ifPresent(value -> inherited.put(name, value)));
        List<String> path = Stream.of(servicePath.split(":"))
                .filter(entry -> !entry.isBlank() && VISIBLE.stream().anyMatch(Path.of(entry)::startsWith))
                .distinct()
                .toList();
        try {
            prepareWorkDir(folder);
            Optional<CgroupLimits> cgroups = Optional.empty();
            Path relay = EGRESS.resolve("relay.js");
            if (settings.isolation() == Isolation.FULL) {
                cgroups = Optional.of(new FullIsolationCheck(settings, folder, tools, root, identities).run());
                installRelay(relay);
            }
            BuildSandbox sandbox =
                    new BuildSandbox(settings, folder, tools, identities, cgroups, gate, relay, inherited, path);
            sandbox.sweepLeftovers();
            if (cgroups.isPresent()) {
                log.info("Builds run {}", sandbox.describe());
            } else {
                log.warn("{}", sandbox.describe());
            }
            return sandbox;
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot prepare the builds' work folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /** What builds get, for the start of the service's log and of every build's. */
    public String describe() {
        return description;
    }

    /** Variables of this service that the operator lets builds have ({@code BUILD_INHERIT_ENV}). */
    public Map<String, String> inheritedEnvironment() {
        return inherited;
    }

    /** The PATH entries of this service that builds get, after their own tool folders. */
    public List<String> path() {
        return path;
    }

    /**
     * Readies the sandbox of one build: a uid of its own, its folder (on a disk of its own), its cgroup and its
     * network gate, whose refusals go where {@link SandboxedBuild#logRefusalsTo} says (the build's log).
     */
    public SandboxedBuild open(DeploymentId id) throws IOException {
        Deque<AutoCloseable> undo = new ArrayDeque<>();
        RefusalLog refusals = new RefusalLog(id);
        try {
            Optional<BuildIdentity> identity =
                    identities.isPresent() ? Optional.of(identities.get().lease()) : Optional.empty();
            identity.ifPresent(undo::push);
            int uid = identity.map(BuildIdentity::uid).orElse(0);
            String name = id + "-u" + uid + "-"
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            BuildWorkspace workspace = BuildWorkspace.create(workDir, name);
            undo.push(workspace::delete);
            if (cgroups.isEmpty()) {
                makeFolders(workspace, identity);
                return new SandboxedBuild(
                        workspace,
                        identity,
                        sessionLauncher(identity.map(BuildIdentity::uid)),
                        description,
                        Optional.empty(),
                        Optional.empty(),
                        refusals,
                        undo);
            }
            BuildDisk disk =
                    BuildDisk.mount(tools, workspace.file("disk.img"), workspace.disk(), settings.maxDisk(), uid);
            undo.push(disk);
            makeFolders(workspace, identity);
            Files.writeString(workspace.file("passwd"), BubblewrapLauncher.passwd(uid));
            Files.writeString(workspace.file("group"), BubblewrapLauncher.group(uid));
            BuildCgroup cgroup =
                    cgroups.get().create(name, settings.memory(), settings.maxProcesses(), settings.cpus());
            undo.push(cgroup);
            Path socket = EGRESS.resolve(name + ".sock");
            undo.push(gate.open(id.value(), socket, refusals::accept));
            Files.setAttribute(socket, "unix:uid", uid);
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            return new SandboxedBuild(
                    workspace,
                    identity,
                    new BubblewrapLauncher(tools, workspace, uid, cgroup.joinFiles(), relay, socket),
                    description,
                    Optional.of(cgroup),
                    Optional.of(disk),
                    refusals,
                    undo);
        } catch (IOException | RuntimeException e) {
            SandboxedBuild.unwind(undo, workDir);
            throw e;
        }
    }

    /** The build's three folders on its disk, its uid's alone. */
    private static void makeFolders(BuildWorkspace workspace, Optional<BuildIdentity> identity) throws IOException {
        for (Path folder : List.of(workspace.disk(), workspace.source(), workspace.home(), workspace.tmp())) {
            Files.createDirectories(folder);
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
            if (identity.isPresent()) {
                Files.setAttribute(folder, "unix:uid", identity.get().uid());
                Files.setAttribute(folder, "unix:gid", identity.get().uid());
            }
        }
    }

    private SessionLauncher sessionLauncher(Optional<Integer> uid) {
        return new SessionLauncher(tools, uid, settings.memory(), settings.maxProcesses(), settings.maxDisk());
    }

    private String fullDescription() {
        return "with full isolation: each as a uid of its own (BUILD_UIDS " + settings.uids() + "), in bubblewrap"
                + " with namespaces of its own (processes, mounts, network, IPC, host name, cgroups, users; no"
                + " further user namespaces), the system's folders read-only and no other build's visible, the network"
                + " only through the egress gate (public addresses, and BUILD_EGRESS_ALLOWED_HOSTS "
                + (settings.egressAllowedHosts().isEmpty() ? "(none)" : settings.egressAllowedHosts()) + "), "
                + cgroups.map(CgroupLimits::describe).orElse("") + " limits of " + SettingFormat.size(settings.memory())
                + " of memory, " + settings.maxProcesses() + " processes and "
                + (settings.cpus() == null
                        ? "an equal share of the CPU with each other build and the service (no BUILD_CPUS cap)"
                        : "the CPU time of " + SettingFormat.cores(settings.cpus())
                                + (settings.cpus() == 1 ? " core" : " cores"))
                + ", and a disk of its own of "
                + SettingFormat.size(settings.maxDisk());
    }

    /**
     * A replica that died (kill -9, a lost machine) leaves its builds' folders, mounted disks and cgroups; those
     * whose uid nobody holds any more are nobody's, and are removed.
     */
    private void sweepLeftovers() throws IOException {
        if (identities.isEmpty()) {
            return;
        }
        List<Path> folders;
        try (Stream<Path> entries = Files.list(workDir)) {
            folders = entries.toList();
        }
        for (Path folder : folders) {
            Matcher name = WORKSPACE_NAME.matcher(folder.getFileName().toString());
            if (!name.matches()) {
                continue;
            }
            Optional<BuildIdentity> free = identities.get().tryHold(Integer.parseInt(name.group(1)));
            if (free.isEmpty()) {
                continue;
            }
            try (BuildIdentity nobodys = free.get()) {
                log.warn("Removing {}, left by a replica that stopped without cleaning up", folder);
                HostTools.run(List.of(
                        tools.umount().toString(),
                        "--lazy",
                        new BuildWorkspace(folder).disk().toString()));
                cgroups.ifPresent(limits -> limits.remove(folder.getFileName().toString()));
                new BuildWorkspace(folder).delete();
            }
        }
    }

    /** Builds pass through the work folder to their own, and see nothing else in it. */
    private static void prepareWorkDir(Path workDir) throws IOException {
        Files.createDirectories(workDir);
        Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwx--x--x"));
    }

    /** The relay a build's commands start under, where the build can read it but not change it. */
    private static void installRelay(Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Files.setPosixFilePermissions(target.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
        // Written beside it and moved in one step: other replicas of this machine may be starting builds with it.
        Path written = target.resolveSibling(
                target.getFileName() + "." + ProcessHandle.current().pid());
        try (InputStream relay = BuildSandbox.class.getClassLoader().getResourceAsStream(RELAY_RESOURCE)) {
            if (relay == null) {
                throw new IOException("the egress relay " + RELAY_RESOURCE + " is missing from this service's jar");
            }
            Files.copy(relay, written, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-r--r--"));
        Files.move(written, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The folder {@code /proc/self} leads to belongs to whoever looks at it. */
    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** Everything full isolation needs, tried for real; every part missing is named at once. */
    record FullIsolationCheck(
            SandboxSettings settings,
            Path workDir,
            HostTools tools,
            boolean root,
            Optional<BuildIdentities> identities) {

        CgroupLimits run() throws IOException {
            List<String> missing = new ArrayList<>();
            if (!root) {
                missing.add("this service is not root, so it cannot give builds uids, cgroups and disks of their own");
            }
            if (VISIBLE.stream().noneMatch(tools.node()::startsWith)) {
                missing.add("node is at " + tools.node() + ", outside the folders builds see (" + VISIBLE + ")");
            }
            CgroupLimits cgroups = null;
            try {
                cgroups = CgroupLimits.detect();
                cgroups.create(
                                "probe-" + ProcessHandle.current().pid(),
                                settings.memory(),
                                settings.maxProcesses(),
                                settings.cpus())
                        .close();
            } catch (IOException e) {
                missing.add("cgroups: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (root && identities.isPresent()) {
                tryBubblewrapAndDisk(missing);
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("BUILD_ISOLATION=full, but this machine cannot isolate builds: "
                        + String.join("; ", missing) + ". Fix that, or set BUILD_ISOLATION=none to run builds without"
                        + " isolation (see the README: only for code you trust)");
            }
            return cgroups;
        }

        private void tryBubblewrapAndDisk(List<String> missing) throws IOException {
            try (BuildIdentity probe = identities.get().lease()) {
                HostTools.Result bubblewrap = HostTools.run(List.of(
                        tools.setpriv().toString(),
                        "--reuid=" + probe.uid(),
                        "--regid=" + probe.uid(),
                        "--clear-groups",
                        "--no-new-privs",
                        "--",
                        tools.bwrap().toString(),
                        "--unshare-all",
                        "--unshare-user",
                        "--disable-userns",
                        "--die-with-parent",
                        "--ro-bind",
                        "/usr",
                        "/usr",
                        "--symlink",
                        "usr/bin",
                        "/bin",
                        "--symlink",
                        "usr/lib",
                        "/lib",
                        "--symlink",
                        "usr/lib64",
                        "/lib64",
                        "--proc",
                        "/proc",
                        "--",
                        "/usr/bin/true"));
                if (bubblewrap.code() != 0) {
                    missing.add("bubblewrap cannot make namespaces as an unprivileged uid: " + bubblewrap.output());
                }
                if (HostTools.run(List.of(
                                        tools.setpriv().toString(),
                                        "--reuid=" + probe.uid(),
                                        "--regid=" + probe.uid(),
                                        "--clear-groups",
                                        "--",
                                        "/usr/bin/test",
                                        "-x",
                                        workDir.toString()))
                                .code()
                        != 0) {
                    missing.add("a build's uid cannot pass through the folders above DEPLOY_WORK_DIR " + workDir
                            + ": each must let others pass (chmod o+x), or choose another folder");
                }
                Path probeFolder = Files.createTempDirectory(workDir, ".probe-");
                try {
                    BuildDisk.mount(
                                    tools,
                                    probeFolder.resolve("disk.img"),
                                    probeFolder.resolve("disk"),
                                    DataSize.ofMegabytes(16),
                                    probe.uid())
                            .close();
                } catch (IOException e) {
                    missing.add("builds' disks (ext4 on loop devices): " + e.getMessage());
                } finally {
                    new BuildWorkspace(probeFolder).delete();
                }
            }
        }
    }
}
