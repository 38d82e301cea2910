package dev.deploypipeline.deploy.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The programs this service starts with root's rights, found once at start in the system's own folders (never
 * through a PATH a build could have written to) and always called by their absolute path, with an environment
 * of the service's choosing. Only the innermost command of a build is the build's.
 */
record HostTools(
        Path sh,
        Path setpriv,
        Path bwrap,
        Path mount,
        Path umount,
        Path mkfs,
        Path prlimit,
        Path setsid,
        Path env,
        Path kill,
        Path node) {

    /** Where system programs live; a build can write to none of them. */
    static final List<Path> SYSTEM_FOLDERS =
            Stream.of("/usr/sbin", "/usr/bin", "/sbin", "/bin").map(Path::of).toList();
    /** The whole environment every privileged program gets. */
    static final Map<String, String> ENVIRONMENT = Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL", "C");

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Finds each tool, or says which are missing. {@code node} is looked for on this service's own PATH. */
    static HostTools find(String servicePath) {
        List<String> missing = new ArrayList<>();
        HostTools tools = new HostTools(
                system("sh", missing),
                system("setpriv", missing),
                system("bwrap", missing),
                system("mount", missing),
                system("umount", missing),
                system("mkfs.ext4", missing),
                system("prlimit", missing),
                system("setsid", missing),
                system("env", missing),
                system("kill", missing),
                onPath("node", servicePath, missing));
        if (!missing.isEmpty()) {
            throw new IllegalStateException("builds need these programs, which were not found: "
                    + String.join(", ", missing) + " (on Debian: apt-get install bubblewrap util-linux mount"
                    + " e2fsprogs nodejs)");
        }
        return tools;
    }

    /** The program in the first of the system's folders that has it. */
    private static Path system(String name, List<String> missing) {
        Optional<Path> found = SYSTEM_FOLDERS.stream()
                .map(folder -> folder.resolve(name))
                .filter(Files::isExecutable)
                .findFirst();
        if (found.isEmpty()) {
            missing.add(name);
            return null;
        }
        return found.get();
    }

    private static Path onPath(String name, String servicePath, List<String> missing) {
        for (String folder : servicePath.split(":")) {
            if (folder.isBlank()) {
                continue;
            }
            Path candidate = Path.of(folder).resolve(name);
            if (Files.isExecutable(candidate)) {
                try {
                    return candidate.toRealPath();
                } catch (IOException e) {
                    // a dangling link: look further
                }
            }
        }
        missing.add(name);
        return null;
    }

    /**
     * Runs a short host command (a probe, mkfs, mount) with the fixed environment; its exit code and output. An
     * interrupt (a cancel, a shutdown) waits for the command's end and is kept for the caller: a mount that was
     * made must be known to be, so that it is undone.
     */
    static Result run(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(ENVIRONMENT);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        boolean interrupted = false;
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (true) {
                try {
                    if (process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        return new Result(process.exitValue(), output);
                    }
                    process.destroyForcibly();
                    return new Result(-1, "did not end within " + WAIT.toSeconds() + "s: " + output);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs a host command that must succeed; its failure names the command and what it printed. */
    static void runOrThrow(List<String> command) throws IOException {
        Result result = run(command);
        if (result.code() != 0) {
            throw new IOException(Path.of(command.get(0)).getFileName() + " failed with code " + result.code() + ": "
                    + result.output());
        }
    }

    /** How a host command ended. */
    record Result(int code, String output) {}
}
