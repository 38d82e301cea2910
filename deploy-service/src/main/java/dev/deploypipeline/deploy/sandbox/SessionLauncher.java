package dev.deploypipeline.deploy.sandbox;

import dev.deploypipeline.deploy.SettingFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.util.unit.DataSize;

/**
 * {@code BUILD_ISOLATION=none}: the build leads a session of its own (its process group is killed), as the
 * build's uid when this service is root, under rlimits for its memory (data), its file sizes and, with a uid of
 * its own, its processes. The environment is applied by {@code env -i}, the last program before the build's.
 */
final class SessionLauncher implements Launcher {

    private final HostTools tools;
    private final Optional<Integer> uid;
    private final DataSize memory;
    private final int maxProcesses;
    private final DataSize maxDisk;

    SessionLauncher(HostTools tools, Optional<Integer> uid, DataSize memory, int maxProcesses, DataSize maxDisk) {
        this.tools = tools;
        this.uid = uid;
        this.memory = memory;
        this.maxProcesses = maxProcesses;
        this.maxDisk = maxDisk;
    }

    @Override
    public Launch launch(List<String> arguments, Path directory, Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        uid.ifPresent(id -> command.addAll(List.of(
                tools.setpriv().toString(),
                "--reuid=" + id,
                "--regid=" + id,
                "--clear-groups",
                "--no-new-privs",
                "--pdeathsig",
                "KILL",
                "--")));
        command.addAll(
                List.of(tools.prlimit().toString(), "--data=" + memory.toBytes(), "--fsize=" + maxDisk.toBytes()));
        uid.ifPresent(id -> command.add("--nproc=" + maxProcesses));
        command.addAll(List.of("--", tools.setsid().toString(), tools.env().toString(), "-i", "--"));
        environment.forEach((name, value) -> command.add(name + "=" + value));
        command.addAll(arguments);
        return new Launch(command, new byte[0]);
    }

    @Override
    public String inside(Path path) {
        return path.toString();
    }

    @Override
    public Path hostDirectory(Path directory) {
        return directory;
    }

    /** {@code setsid} made the command's pid its process group's id too. */
    @Override
    public void killRest(Process process) throws IOException {
        HostTools.run(List.of(tools.kill().toString(), "-KILL", "--", "-" + process.pid()));
    }

    /** For the start of the service's log and of every build's. */
    String describe() {
        return "BUILD_ISOLATION=none: builds are NOT isolated from this machine. Each runs "
                + uid.map(id -> "as uid " + id + " (one per build)")
                        .orElse("as this service's own user, who" + " can read this service's environment")
                + ", in a session of its own, with the network of this machine (no egress gate), the machine's"
                + " files as that user may read them, and rlimits only: data " + SettingFormat.size(memory)
                + ", file size " + SettingFormat.size(maxDisk)
                + uid.map(id -> ", " + maxProcesses + " processes").orElse("");
    }
}
