package dev.deploypipeline.deploy.sandbox;

import dev.deploypipeline.deploy.SettingFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.util.unit.DataSize;

/**
 * Where each build's cgroup is made, below this service's own cgroup so that whatever holds the service (a
 * container's limits) holds its builds too: in cgroup v2's unified hierarchy, or in the {@code memory},
 * {@code pids} and {@code cpu} hierarchies of cgroup v1. The kernel then enforces a build's memory, process
 * count and CPU time; a build past its memory limit has a process killed by the kernel, one past its process
 * count cannot fork, one past its CPU time waits for the next period, however many processes it runs.
 */
final class CgroupLimits {

    static final String BUILDS = "deploy-builds";
    private static final Path MOUNT_INFO = Path.of("/proc/self/mountinfo");
    private static final Path OWN_CGROUP = Path.of("/proc/self/cgroup");
    /** The kernel's default CFS period, in microseconds; a build's quota is its cores times this. */
    static final long CPU_PERIOD_US = 100_000;

    private static final List<String> CONTROLLERS = List.of("memory", "pids", "cpu");

    private final boolean unified;
    private final Path memory;
    private final Path pids;
    private final Path cpu;

    private CgroupLimits(boolean unified, Path memory, Path pids, Path cpu) {
        this.unified = unified;
        this.memory = memory;
        this.pids = pids;
        this.cpu = cpu;
    }

    /** The cgroups this machine lets this service make, or a reason it lets it make none. */
    static CgroupLimits detect() throws IOException {
        return detect(Files.readAllLines(MOUNT_INFO), Files.readAllLines(OWN_CGROUP), Path.of("/"));
    }

    /** From the mount table and the service's own cgroups; {@code root} is where their paths start (tests). */
    static CgroupLimits detect(List<String> mountInfo, List<String> ownCgroups, Path root) throws IOException {
        Optional<Path> v1Memory = v1(mountInfo, ownCgroups, "memory", root);
        Optional<Path> v1Pids = v1(mountInfo, ownCgroups, "pids", root);
        Optional<Path> v1Cpu = v1(mountInfo, ownCgroups, "cpu", root);
        if (v1Memory.isPresent() && v1Pids.isPresent() && v1Cpu.isPresent()) {
            return new CgroupLimits(
                    false,
                    v1Memory.get().resolve(BUILDS),
                    v1Pids.get().resolve(BUILDS),
                    v1Cpu.get().resolve(BUILDS));
        }
        Optional<Path> v2 = v2(mountInfo, ownCgroups, root);
        if (v2.isPresent()) {
            Path builds = v2.get().resolve(BUILDS);
            return new CgroupLimits(true, builds, builds, builds);
        }
        List<String> v1 = new ArrayList<>();
        v1Memory.ifPresent(found -> v1.add("memory"));
        v1Pids.ifPresent(found -> v1.add("pids"));
        v1Cpu.ifPresent(found -> v1.add("cpu"));
        throw new IOException("neither cgroup v2 with the memory, pids and cpu controllers nor cgroup v1's memory,"
                + " pids and cpu hierarchies are mounted and writable here"
                + (v1.isEmpty() ? "" : " (cgroup v1 has only " + String.join(", ", v1) + ")"));
    }

    String describe() {
        return unified ? "cgroup v2 (memory, pids, cpu)" : "cgroup v1 (memory, pids, cpu)";
    }

    /**
     * A cgroup of its own for one build, with its limits set; nothing runs in it yet. When a limit cannot be
     * set, what was made of it is removed.
     */
    BuildCgroup create(String name, DataSize memoryLimit, int maxProcesses, Double cpus) throws IOException {
        try {
            return make(name, memoryLimit, maxProcesses, cpus);
        } catch (IOException e) {
            remove(name);
            throw e;
        }
    }

    /** {@code cpus} {@code null}: no quota, only the cgroup's weight, the same as every other build's. */
    private BuildCgroup make(String name, DataSize memoryLimit, int maxProcesses, Double cpus) throws IOException {
        if (unified) {
            Path group = delegated().resolve(name);
            Files.createDirectory(group);
            Files.writeString(group.resolve("memory.max"), Long.toString(memoryLimit.toBytes()));
            write(group.resolve("memory.swap.max"), "0");
            Files.writeString(group.resolve("pids.max"), Integer.toString(maxProcesses));
            if (cpus != null) {
                writeCpu(group.resolve("cpu.max"), quota(cpus) + " " + CPU_PERIOD_US, cpus);
            }
            return new BuildCgroup(group, group, group, true, memoryLimit, maxProcesses);
        }
        Path memoryGroup = Files.createDirectories(memory).resolve(name);
        Path pidsGroup = Files.createDirectories(pids).resolve(name);
        Path cpuGroup = Files.createDirectories(cpu).resolve(name);
        Files.createDirectory(memoryGroup);
        Files.createDirectory(pidsGroup);
        Files.createDirectory(cpuGroup);
        Files.writeString(memoryGroup.resolve("memory.limit_in_bytes"), Long.toString(memoryLimit.toBytes()));
        // Swap counts too where swap is accounted, so a build cannot go past its limit by swapping.
        write(memoryGroup.resolve("memory.memsw.limit_in_bytes"), Long.toString(memoryLimit.toBytes()));
        Files.writeString(pidsGroup.resolve("pids.max"), Integer.toString(maxProcesses));
        if (cpus != null) {
            Files.writeString(cpuGroup.resolve("cpu.cfs_period_us"), Long.toString(CPU_PERIOD_US));
            writeCpu(cpuGroup.resolve("cpu.cfs_quota_us"), Long.toString(quota(cpus)), cpus);
        }
        return new BuildCgroup(memoryGroup, pidsGroup, cpuGroup, false, memoryLimit, maxProcesses);
    }

    /** The microseconds of CPU time a build of {@code cpus} cores may use in each period. */
    static long quota(double cpus) {
        return Math.max(1000, Math.round(cpus * CPU_PERIOD_US));
    }

    /**
     * v1 refuses a quota above the one of a cgroup above (a container's {@code --cpus}); v2 takes it and holds
     * the build to the lower one.
     */
    private static void writeCpu(Path file, String value, double cpus) throws IOException {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new IOException(
                    "cannot hold a build to BUILD_CPUS=" + SettingFormat.cores(cpus) + " in " + file
                            + " (more than this service's own cgroup may use?): " + e.getMessage(),
                    e);
        }
    }

    /** Where the builds' cgroups are in the hierarchy that holds their CPU time (v2: the only one). */
    Path cpuBuilds() {
        return cpu;
    }

    /**
     * cgroup v2 gives controllers only to a cgroup's children, and only while the cgroup itself holds no process:
     * the first time, this service (and whatever shares its cgroup) moves into a child {@code deploy-service},
     * and builds go below {@code deploy-builds}, both with memory, pids and cpu enabled. A {@code deploy-builds}
     * left by an older version, with memory and pids only, gets cpu too.
     */
    private synchronized Path delegated() throws IOException {
        Path own = memory.getParent();
        if (Files.isDirectory(memory) && enabled(memory).containsAll(CONTROLLERS)) {
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
        Files.writeString(own.resolve("cgroup.subtree_control"), "+memory +pids +cpu");
        Files.createDirectories(memory);
        Files.writeString(memory.resolve("cgroup.subtree_control"), "+memory +pids +cpu");
        return memory;
    }

    /** The controllers a v2 cgroup gives its children ({@code memory pids}, or {@code +memory} in tests). */
    private static List<String> enabled(Path group) throws IOException {
        Path control = group.resolve("cgroup.subtree_control");
        if (!Files.exists(control)) {
            return List.of();
        }
        return Arrays.stream(Files.readString(control).strip().split("\\s+"))
                .map(name -> name.startsWith("+") ? name.substring(1) : name)
                .toList();
    }

    private static boolean offersControllers(Path own) throws IOException {
        Path controllers = own.resolve("cgroup.controllers");
        if (!Files.isReadable(controllers) || !Files.isWritable(own)) {
            return false;
        }
        List<String> offered =
                Arrays.asList(Files.readString(controllers).strip().split(" "));
        return offered.containsAll(CONTROLLERS);
    }

    /** Removes a build's cgroup left by a replica that died; it is empty, as its processes died with it. */
    void remove(String name) {
        for (Path parent : List.of(memory, pids, cpu)) {
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
