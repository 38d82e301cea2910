package dev.deploypipeline.deploy.sandbox;

import dev.deploypipeline.deploy.SettingFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.unit.DataSize;

/**
 * One build's cgroup (in v1, one per controller): every process of the build runs in it from its first
 * instruction, so it can count them all, limit them, tell which limit a failed command ran into and kill them
 * all, however they forked or daemonized.
 */
final class BuildCgroup implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BuildCgroup.class);
    private static final Duration EMPTY_WAIT = Duration.ofSeconds(10);

    private final Path memoryGroup;
    private final Path pidsGroup;
    private final List<Path> groups;
    private final boolean unified;
    private final DataSize memory;
    private final int maxProcesses;

    /** Its group in each of v1's hierarchies (memory, pids, cpu), or v2's one group three times. */
    BuildCgroup(Path memoryGroup, Path pidsGroup, Path cpuGroup, boolean unified, DataSize memory, int maxProcesses) {
        this.memoryGroup = memoryGroup;
        this.pidsGroup = pidsGroup;
        this.groups = Stream.of(memoryGroup, pidsGroup, cpuGroup).distinct().toList();
        this.unified = unified;
        this.memory = memory;
        this.maxProcesses = maxProcesses;
    }

    /** The files a process writes its pid to, to join this cgroup in every hierarchy. */
    List<Path> joinFiles() {
        return groups.stream().map(group -> group.resolve("cgroup.procs")).toList();
    }

    /** Which limit the build ran into, for the reason of a command that failed. */
    Optional<String> limitReached() {
        if (counter(memoryGroup.resolve(unified ? "memory.events" : "memory.oom_control"), "oom_kill") > 0) {
            return Optional.of("ran out of memory (limit " + SettingFormat.size(memory) + ", BUILD_MEMORY)");
        }
        if (counter(pidsGroup.resolve("pids.events"), "max") > 0) {
            return Optional.of(
                    "reached its process limit (" + maxProcesses + " processes and threads, BUILD_MAX_PROCESSES)");
        }
        return Optional.empty();
    }

    /** Kills every process of the build and waits until none is left. */
    void killAll() throws InterruptedException {
        long deadline = System.nanoTime() + EMPTY_WAIT.toNanos();
        while (true) {
            List<Long> left = processes();
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                log.error("Build processes {} survived SIGKILL for {}", left, EMPTY_WAIT);
                return;
            }
            Path kill = groups.get(0).resolve("cgroup.kill");
            if (unified && Files.exists(kill)) {
                writeQuietly(kill, "1");
            } else {
                left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            }
            Thread.sleep(20); // a freshly forked process may join between the read and the kill
        }
    }

    private List<Long> processes() {
        return groups.stream()
                .flatMap(group -> {
                    try {
                        return Files.readAllLines(group.resolve("cgroup.procs")).stream();
                    } catch (IOException e) {
                        return Stream.<String>empty();
                    }
                })
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .map(Long::parseLong)
                .distinct()
                .toList();
    }

    /** Kills what is left and removes the cgroup. */
    @Override
    public void close() throws InterruptedException {
        killAll();
        for (Path group : groups) {
            try {
                Files.deleteIfExists(group); // a cgroup is removed like an empty folder, whatever files it shows
            } catch (IOException e) {
                log.warn("Could not remove the build cgroup {}", group, e);
            }
        }
    }

    private static long counter(Path file, String name) {
        try {
            return Files.readAllLines(file).stream()
                    .map(line -> line.strip().split("\\s+"))
                    .filter(fields -> fields.length == 2 && fields[0].equals(name))
                    .mapToLong(fields -> Long.parseLong(fields[1]))
                    .findFirst()
                    .orElse(0);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            log.warn("Could not read {}", file, e);
            return 0;
        }
    }

    private static void writeQuietly(Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            log.warn("Could not write {}", file, e);
        }
    }
}
