package dev.deploypipeline.deploy.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a build's commands are started and stopped. Each command runs as the unprivileged build user when
 * this service is root, and in a PID namespace of its own (bubblewrap's, or {@code unshare}'s): when its
 * first process ends, or is killed, the kernel kills everything else in it, daemons that double-forked or
 * left the session included. Where namespaces cannot be had, the command leads a session of its own, whose
 * process group is killed; a daemon that starts a new session then escapes, which is logged at start.
 */
public final class BuildSandbox {

    private static final Logger log = LoggerFactory.getLogger(BuildSandbox.class);
    private static final Duration REAP_WAIT = Duration.ofSeconds(10);

    enum Containment {
        BUBBLEWRAP("inside bubblewrap"),
        PID_NAMESPACE("in a PID namespace of its own",
                "unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "--"),
        // Not root: a user namespace lets it have a PID namespace too, where it is root of nothing but itself.
        USER_AND_PID_NAMESPACE("in user and PID namespaces of its own",
                "unshare", "--user", "--map-root-user", "--pid", "--fork", "--kill-child", "--mount-proc", "--"),
        SESSION("in a session of its own", "setsid");

        private final String description;
        private final List<String> prefix;

        Containment(String description, String... prefix) {
            this.description = description;
            this.prefix = List.of(prefix);
        }

        /** Whether this machine lets this process hold a command this way. */
        boolean works() {
            List<String> probe = new ArrayList<>(prefix);
            probe.add("true");
            return BuildSandbox.works(probe.toArray(String[]::new));
        }
    }

    private final Containment containment;
    private final Optional<BuildUser> user;
    private final Path workDir;
    private final Map<String, String> inherited;

    BuildSandbox(Containment containment, Optional<BuildUser> user, Path workDir, Map<String, String> inherited) {
        this.containment = containment;
        this.user = user;
        this.workDir = workDir.toAbsolutePath();
        this.inherited = Map.copyOf(inherited);
    }

    /** Looks at what this machine and this process allow, and says at start what builds will get. */
    public static BuildSandbox detect(SandboxSettings settings, Path workDir) {
        boolean root = isRoot();
        Optional<BuildUser> user = root ? BuildUser.lookUp(settings.user()) : Optional.empty();
        if (root && user.isEmpty()) {
            log.warn("This service runs as root but the build user '{}' does not exist, so builds run as root too."
                    + " Create it (useradd --system --no-create-home --shell /usr/sbin/nologin {}) or set BUILD_USER",
                    settings.user(), settings.user());
        }
        user.ifPresent(found -> checkReachable(found, workDir));
        Containment containment = containment(settings.mode(), root);
        Map<String, String> inherited = new LinkedHashMap<>();
        settings.inheritEnv().forEach(name -> Optional.ofNullable(System.getenv(name))
                .ifPresent(value -> inherited.put(name, value)));
        BuildSandbox sandbox = new BuildSandbox(containment, user, workDir, inherited);
        log.info("Builds run {}", sandbox.describe());
        return sandbox;
    }

    /** Every build would fail where its user cannot reach its workspace: said at start instead. */
    private static void checkReachable(BuildUser user, Path workDir) {
        try {
            Files.createDirectories(workDir);
            Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwx--x--x"));
        } catch (IOException e) {
            log.warn("Cannot make DEPLOY_WORK_DIR {}: every build will fail until it can be made", workDir, e);
            return;
        }
        List<String> probe = new ArrayList<>(user.switchTo());
        probe.addAll(List.of("test", "-x", workDir.toAbsolutePath().toString()));
        if (!works(probe.toArray(String[]::new))) {
            throw new IllegalStateException("the build user " + user.name() + " cannot reach DEPLOY_WORK_DIR "
                    + workDir.toAbsolutePath() + ": each folder above it must let others pass (chmod o+x), or choose"
                    + " another DEPLOY_WORK_DIR");
        }
    }

    private static Containment containment(SandboxSettings.Mode mode, boolean root) {
        if (mode == SandboxSettings.Mode.BWRAP) {
            if (!works("bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-pid",
                    "--die-with-parent", "true")) {
                throw new IllegalStateException("BUILD_SANDBOX=bwrap, but bubblewrap does not run here: install it"
                        + " (apt-get install bubblewrap) and allow it namespaces, or set BUILD_SANDBOX=none");
            }
            return Containment.BUBBLEWRAP;
        }
        Containment namespace = root ? Containment.PID_NAMESPACE : Containment.USER_AND_PID_NAMESPACE;
        if (namespace.works()) {
            return namespace;
        }
        log.warn("Builds cannot have PID namespaces here, so each runs in a session of its own: a daemon that"
                + " starts a new session can outlive its build{}", root ? "" : ", and a build running as this"
                + " service's user can read this service's environment in /proc. Run the service as root (builds"
                + " then run as BUILD_USER) or allow user namespaces");
        return Containment.SESSION;
    }

    /** For the build's log: who runs it, and how it is held. */
    String describe() {
        String who = user.map(found -> "as " + found.name())
                .orElse(isRoot() ? "as root (the build user does not exist)" : "as this service's user");
        return who + ", " + containment.description;
    }

    /** Variables of this service that the operator lets builds have ({@code BUILD_INHERIT_ENV}). */
    Map<String, String> inheritedEnvironment() {
        return inherited;
    }

    /**
     * Readies a new workspace: the sources and HOME belong to the build user, and the folders above them can be
     * passed through but not listed, so a build cannot find the folders of builds that run beside it.
     */
    void prepare(BuildWorkspace workspace) throws IOException {
        if (user.isEmpty()) {
            return;
        }
        for (Path folder : List.of(workDir, workspace.root())) {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx--x--x"));
        }
        user.get().own(workspace.source());
        user.get().own(workspace.home());
        Files.setPosixFilePermissions(workspace.home(), PosixFilePermissions.fromString("rwx------"));
    }

    /** The whole command line that runs {@code arguments} in {@code directory} for this workspace. */
    List<String> command(List<String> arguments, BuildWorkspace workspace, Path directory) {
        List<String> command = new ArrayList<>();
        if (containment == Containment.BUBBLEWRAP) {
            // Empty /tmp and work folder over the real ones, this workspace's two folders bound back in.
            command.addAll(List.of("bwrap",
                    "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                    "--perms", "1777", "--tmpfs", "/tmp", "--perms", "0711", "--tmpfs", workDir.toString(),
                    "--perms", "0711", "--dir", workspace.root().toString(),
                    "--bind", workspace.source().toString(), workspace.source().toString(),
                    "--bind", workspace.home().toString(), workspace.home().toString(),
                    "--unshare-pid", "--unshare-ipc", "--die-with-parent", "--new-session",
                    "--chdir", directory.toString(), "--"));
        } else {
            // Killed when the thread that started it ends, as when this service dies: no build outlives it.
            command.addAll(List.of("setpriv", "--pdeathsig", "KILL", "--"));
            command.addAll(containment.prefix);
        }
        user.ifPresent(found -> command.addAll(found.switchTo()));
        command.addAll(arguments);
        return command;
    }

    /**
     * Kills whatever is left of a command: all of it when it ran too long or was stopped, the daemons it left
     * behind when it ended by itself. In a PID namespace killing its first process ends the namespace.
     */
    void killAll(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        if (containment == Containment.SESSION) {
            killProcessGroup(process.pid());
        }
        process.waitFor(REAP_WAIT.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** {@code setsid} made the command's pid its process group's id too. */
    private static void killProcessGroup(long group) throws InterruptedException {
        try {
            new ProcessBuilder("kill", "-KILL", "--", "-" + group).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(REAP_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (IOException e) {
            log.warn("Could not kill the process group {} of a build", group, e);
        }
    }

    static boolean works(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The folder {@code /proc/self} leads to belongs to whoever looks at it. */
    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
