package dev.deploypipeline.deploy.sandbox;

import dev.deploypipeline.deploy.sandbox.BuildIdentities.BuildIdentity;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One build's sandbox: its folder and uid, and under full isolation its disk, cgroup and network gate. The
 * runner starts the build's commands through it and never builds a command line of its own; closing it kills
 * whatever of the build is left and removes everything the build had.
 */
public final class SandboxedBuild implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SandboxedBuild.class);
    private static final Duration REAP_WAIT = Duration.ofSeconds(10);

    private final BuildWorkspace workspace;
    private final Optional<BuildIdentity> identity;
    private final Launcher launcher;
    private final String description;
    private final Optional<BuildCgroup> cgroup;
    private final Optional<BuildDisk> disk;
    private final RefusalLog refusals;
    /** What to undo when the build ends, the last made first. */
    private final Deque<AutoCloseable> undo;

    SandboxedBuild(
            BuildWorkspace workspace,
            Optional<BuildIdentity> identity,
            Launcher launcher,
            String description,
            Optional<BuildCgroup> cgroup,
            Optional<BuildDisk> disk,
            RefusalLog refusals,
            Deque<AutoCloseable> undo) {
        this.workspace = workspace;
        this.identity = identity;
        this.launcher = launcher;
        this.description = description;
        this.cgroup = cgroup;
        this.disk = disk;
        this.refusals = refusals;
        this.undo = new ArrayDeque<>(undo);
    }

    public BuildWorkspace workspace() {
        return workspace;
    }

    /** Who runs the build and how it is held, for its log. */
    public String describe() {
        return description;
    }

    /** Where the network gate tells of each destination it refused the build: the build's log, once it is open. */
    public void logRefusalsTo(Consumer<String> buildLog) {
        refusals.to(buildLog);
    }

    /** Where a folder of the workspace is, as the build sees it. */
    public String inside(Path path) {
        return launcher.inside(path);
    }

    /** Gives the build's uid what this service put in its folders (the sources), without following links. */
    public void handOver() throws IOException {
        if (identity.isEmpty()) {
            return;
        }
        int uid = identity.get().uid();
        for (Path folder : List.of(workspace.source(), workspace.home(), workspace.tmp())) {
            try (Stream<Path> paths = Files.walk(folder)) {
                for (Iterator<Path> each = paths.iterator(); each.hasNext(); ) {
                    Path path = each.next();
                    Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                    Files.setAttribute(path, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }

    /** Starts one command of the build in {@code directory} (a folder of the workspace) with exactly this environment. */
    public Process start(List<String> arguments, Path directory, Map<String, String> environment) throws IOException {
        Launcher.Launch launch = launcher.launch(arguments, directory, environment);
        ProcessBuilder builder = new ProcessBuilder(launch.command())
                .directory(launcher.hostDirectory(directory).toFile())
                .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(HostTools.ENVIRONMENT);
        Process process = builder.start();
        try (OutputStream input = process.getOutputStream()) {
            input.write(launch.input()); // then closed: a build reads no input, and a prompt ends at once
        } catch (IOException e) {
            log.debug("The launcher of a build command did not read its input: {}", e.toString()); // its exit says why
        }
        return process;
    }

    /**
     * Kills whatever is left of a command: all of it when it ran too long or was stopped, what it left running
     * (a daemon, a server it forgot to stop) when it ended by itself.
     */
    public void killAll(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            launcher.killRest(process);
        } catch (IOException e) {
            log.warn("Could not kill what a build command left behind", e);
        }
        stopAll();
        process.waitFor(REAP_WAIT.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Nothing of the build runs any more once this returns: its cgroup is empty, or (without one) every process
     * of its uid, or of its session, is killed. What the build left in its output can then no longer change.
     */
    public void stopAll() throws InterruptedException {
        if (cgroup.isPresent()) {
            cgroup.get().killAll();
        } else if (identity.isPresent()) {
            killProcessesOf(identity.get().uid());
        }
    }

    /** Without a cgroup, a uid of its own is how every process of the build is found: by the owner of its /proc folder. */
    private static void killProcessesOf(int uid) throws InterruptedException {
        long deadline = System.nanoTime() + REAP_WAIT.toNanos();
        List<ProcessHandle> left = processesOf(uid);
        while (!left.isEmpty() && System.nanoTime() - deadline < 0) {
            left.forEach(ProcessHandle::destroyForcibly);
            Thread.sleep(20); // one may have forked between the look and the kill
            left = processesOf(uid);
        }
    }

    private static List<ProcessHandle> processesOf(int uid) {
        return ProcessHandle.allProcesses()
                .filter(process -> {
                    try {
                        return (Integer) Files.getAttribute(Path.of("/proc", Long.toString(process.pid())), "unix:uid")
                                == uid;
                    } catch (IOException | RuntimeException gone) {
                        return false;
                    }
                })
                .toList();
    }

    /** Which of its limits the build ran into, for the reason of a command that failed. */
    public Optional<String> limitReached() {
        return cgroup.flatMap(BuildCgroup::limitReached).or(() -> disk.flatMap(BuildDisk::limitReached));
    }

    /** Kills what is left of the build, then removes its gate, cgroup, disk, folder and uid, in that order. */
    @Override
    public void close() {
        try {
            stopAll();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        unwind(undo, workspace.root());
    }

    /** Undoes each step, the last made first, going on past a step that fails. */
    static void unwind(Deque<AutoCloseable> undo, Path where) {
        while (!undo.isEmpty()) {
            AutoCloseable step = undo.pop();
            try {
                step.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.warn("Could not clean up after a build in {}", where, e);
            }
        }
    }
}
