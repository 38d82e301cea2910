package dev.deploypipeline.deploy.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.util.unit.DataSize;

/**
 * Where each build's cgroup is made, below this service's own cgroup so that whatever holds the service (a
 * container's limits) holds its builds too: in cgroup v2's unified hierarchy, or in the {@code memory} and
 * {@code pids} hierarchies of cgroup v1. The kernel then enforces a build's memory and process count; a build
 * past its memory limit has a process killed by the kernel, one past its process count cannot fork.
 */
final class CgroupLimits {

    static final String BUILDS = "deploy-builds";
    private static final Path MOUNT_INFO = Path.of("/proc/self/mountinfo");
    private static final Path OWN_CGROUP = Path.of("/proc/self/cgroup");

    private final boolean unified;
    private final Path memory;
    private final Path pids;

    private CgroupLimits(boolean unified, Path memory, Path pids) {
        this.unified = unified;
        this.memory = memory;
        this.pids = pids;
    }

    /** The cgroups this machine lets this service make, or a reason it lets it make none. */
    static CgroupLimits detect() throws IOException {
        return detect(Files.readAllLines(MOUNT_INFO), Files.readAllLines(OWN_CGROUP), Path.of("/"));
    }

    /** From the mount table and the service's own cgroups; {@code root} is where their paths start (tests). */
    static CgroupLimits detect(List<String> mountInfo, List<String> ownCgroups, Path root) throws IOException {
        Optional<Path> v1Memory = v1(mountInfo, ownCgroups, "memory", root);
        Optional<Path> v1Pids = v1(mountInfo, ownCgroups, "pids", root);
        if (v1Memory.isPresent() && v1Pids.isPresent()) {
            return new CgroupLimits(
                    false, v1Memory.get().resolve(BUILDS), v1Pids.get().resolve(BUILDS));
        }
        Optional<Path> v2 = v2(mountInfo, ownCgroups, root);
        if (v2.isPresent()) {
            return new CgroupLimits(true, v2.get().resolve(BUILDS), v2.get().resolve(BUILDS));
        }
        throw new IOException("neither cgroup v2 with the memory and pids controllers nor cgroup v1's memory and"
                + " pids hierarchies are mounted and writable here");
    }

    String describe() {
        return unified ? "cgroup v2" : "cgroup v1 (memory, pids)";
    }

    /** A cgroup of its own for one build, with its limits set; nothing runs in it yet. */
    BuildCgroup create(String name, DataSize memoryLimit, int maxProcesses) throws IOException {
        if (unified) {
            Path group = delegated().resolve(name);
            Files.createDirectory(group);
            Files.writeString(group.resolve("memory.max"), Long.toString(memoryLimit.toBytes()));
            write(group.resolve("memory.swap.max"), "0");
            Files.writeString(group.resolve("pids.max"), Integer.toString(maxProcesses));
            return new BuildCgroup(List.of(group), true, memoryLimit, maxProcesses);
        }
        Path memoryGroup = Files.createDirectories(memory).resolve(name);
        Path pidsGroup = Files.createDirectories(pids).resolve(name);
        Files.createDirectory(memoryGroup);
        Files.createDirectory(pidsGroup);
        Files.writeString(memoryGroup.resolve("memory.limit_in_bytes"), Long.toString(memoryLimit.toBytes()));
        // Swap counts too where swap is accounted, so a build cannot go past its limit by swapping.
        write(memoryGroup.resolve("memory.memsw.limit_in_bytes"), Long.toString(memoryLimit.toBytes()));
        Files.writeString(pidsGroup.resolve("pids.max"), Integer.toString(maxProcesses));
        return new BuildCgroup(List.of(memoryGroup, pidsGroup), false, memoryLimit, maxProcesses);
    }

    /**
     * cgroup v2 gives controllers only to a cgroup's children, and only while the cgroup itself holds no process:
     * the first time, this service (and whatever shares its cgroup) moves into a child {@code deploy-service},
     * and builds go below {@code deploy-builds}, both with memory and pids enabled.
     */
    private synchronized Path delegated() throws IOException {
        Path own = memory.getParent();
        if (Files.isDirectory(memory)) {
            return memory;
        }
        List<String> processes = Files.readAllLines(own.resolve("cgroup.procs"));
        if (!processes.isEmpty()) {
            Path service = Files.createDirectories(own.resolve("deploy-service"));
            for (String pid : processes) {
                try {
                    Files.writeString(service.resolve("cgroup.procs"), pid.strip());
                } catch (IOException ended) {
                    // the process ended meanwhile
                }
            }
        }
        Files.writeString(own.resolve("cgroup.subtree_control"), "+memory +pids");
        Files.createDirectories(memory);
        Files.writeString(memory.resolve("cgroup.subtree_control"), "+memory +pids");
        return memory;
    }

    private static boolean offersControllers(Path own) throws IOException {
        Path controllers = own.resolve("cgroup.controllers");
        if (!Files.isReadable(controllers) || !Files.isWritable(own)) {
            return false;
        }
        List<String> offered =
                Arrays.asList(Files.readString(controllers).strip().split(" "));
        return offered.contains("memory") && offered.contains("pids");
    }

    /** Removes a build's cgroup left by a replica that died; it is empty, as its processes died with it. */
    void remove(String name) {
        for (Path parent : List.of(memory, pids)) {
            try {
                Files.deleteIfExists(parent.resolve(name));
            } catch (IOException e) {
                // still in use, or never made
            }
        }
    }

    private static void write(Path file, String value) throws IOException {
        if (Files.exists(file)) {
            Files.writeString(file, value);
        }
    }

    /** {@code <mount point>/<own path>} of a v1 hierarchy that has {@code controller}. */
    private static Optional<Path> v1(List<String> mountInfo, List<String> ownCgroups, String controller, Path root) {
        for (String line : mountInfo) {
            Mount mount = Mount.parse(line);
            if (mount != null
                    && mount.type().equals("cgroup")
                    && mount.options().contains(controller)) {
                return ownPath(ownCgroups, controller).map(own -> mount.under(own, root));
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> v2(List<String> mountInfo, List<String> ownCgroups, Path root) throws IOException {
        for (String line : mountInfo) {
            Mount mount = Mount.parse(line);
            if (mount != null && mount.type().equals("cgroup2")) {
                Optional<Path> own = ownPath(ownCgroups, "").map(path -> mount.under(path, root));
                if (own.isPresent() && offersControllers(own.get())) {
                    return own;
                }
            }
        }
        return Optional.empty();
    }

    /** The service's own path in the hierarchy of {@code controller} ({@code ""} for v2's). */
    private static Optional<String> ownPath(List<String> ownCgroups, String controller) {
        for (String line : ownCgroups) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3 && Arrays.asList(parts[1].split(",")).contains(controller)
                    || parts.length == 3 && controller.isEmpty() && parts[0].equals("0") && parts[1].isEmpty()) {
                return Optional.of(parts[2]);
            }
        }
        return Optional.empty();
    }

    /** One line of {@code /proc/self/mountinfo}: where a file system is mounted, its root, type and options. */
    private record Mount(String root, String point, String type, List<String> options) {

        static Mount parse(String line) {
            String[] halves = line.split(" - ", 2);
            String[] fields = halves[0].split(" ");
            if (halves.length < 2 || fields.length < 5) {
                return null;
            }
            String[] rest = halves[1].split(" ");
            return new Mount(fields[3], fields[4], rest[0], rest.length > 2 ? List.of(rest[2].split(",")) : List.of());
        }

        /** Where the cgroup {@code own} of this hierarchy is, as seen from this mount. */
        Path under(String own, Path base) {
            String relative = own.startsWith(root) ? own.substring(root.length()) : own;
            Path path = base.resolve(point.substring(1));
            for (String name : relative.split("/")) {
                if (!name.isEmpty()) {
                    path = path.resolve(name);
                }
            }
            return path;
        }
    }
}
