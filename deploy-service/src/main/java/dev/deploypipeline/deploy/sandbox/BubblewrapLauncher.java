package dev.deploypipeline.deploy.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Full isolation: as root, a fixed shell line puts the launcher into the build's cgroup, {@code setpriv} drops to
 * the build's uid for good, and bubblewrap (run as that uid, so with no rights over the machine) gives the build
 * namespaces of its own: it sees its own processes only, no network but loopback, the system's folders read-only,
 * its own disk at {@code /build} and {@code /tmp}, a {@code /etc/passwd} that names it, and can make no further
 * namespaces. Its one way out is the egress gate's socket, through the relay that is its first process. The
 * build's environment is given to bubblewrap through standard input, so no process of the machine sees it, and
 * applies to the build's command only.
 */
final class BubblewrapLauncher implements Launcher {

    /** Where the build's disk is, inside: its sources are {@code /build/source}. */
    static final String INSIDE = "/build";

    static final String RELAY = "/run/egress/relay.js";
    static final String GATE = "/run/egress/gate.sock";

    // Joins every cgroup named by the first arguments, then becomes the rest: no input of the build's reaches it.
    private static final String JOIN_CGROUPS = "n=$1; shift; while [ \"$n\" -gt 0 ]; do echo $$ > \"$1\" || exit 125;"
            + " shift; n=$((n - 1)); done; exec \"$@\"";
    private static final List<String> TOP_FOLDERS = List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");

    private final HostTools tools;
    private final BuildWorkspace workspace;
    private final int uid;
    private final List<Path> cgroups;
    private final Path relay;
    private final Path gate;

    BubblewrapLauncher(HostTools tools, BuildWorkspace workspace, int uid, List<Path> cgroups, Path relay, Path gate) {
        this.tools = tools;
        this.workspace = workspace;
        this.uid = uid;
        this.cgroups = List.copyOf(cgroups);
        this.relay = relay;
        this.gate = gate;
    }

    @Override
    public Launch launch(List<String> arguments, Path directory, Map<String, String> environment) {
        List<String> command = new ArrayList<>(
                List.of(tools.sh().toString(), "-c", JOIN_CGROUPS, "sh", Integer.toString(cgroups.size())));
        cgroups.forEach(file -> command.add(file.toString()));
        command.addAll(List.of(
                tools.setpriv().toString(),
                "--reuid=" + uid,
                "--regid=" + uid,
                "--clear-groups",
                "--no-new-privs",
                "--pdeathsig",
                "KILL",
                "--",
                tools.bwrap().toString(),
                "--args",
                "0",
                "--",
                tools.node().toString(),
                RELAY,
                GATE,
                "--"));
        command.addAll(arguments);
        return new Launch(command, nulSeparated(options(directory, environment)));
    }

    private List<String> options(Path directory, Map<String, String> environment) {
        List<String> options = new ArrayList<>(List.of(
                "--unshare-all",
                "--unshare-user",
                "--disable-userns",
                "--die-with-parent",
                "--new-session",
                "--hostname",
                "build",
                "--ro-bind",
                "/usr",
                "/usr",
                "--ro-bind",
                "/etc",
                "/etc",
                "--ro-bind-try",
                "/opt",
                "/opt"));
        for (String folder : TOP_FOLDERS) {
            Path path = Path.of(folder);
            if (Files.isSymbolicLink(path)) {
                options.addAll(List.of("--symlink", readLink(path), folder));
            } else if (Files.isDirectory(path)) {
                options.addAll(List.of("--ro-bind", folder, folder));
            }
        }
        options.addAll(List.of(
                "--ro-bind",
                workspace.file("passwd").toString(),
                "/etc/passwd",
                "--ro-bind",
                workspace.file("group").toString(),
                "/etc/group",
                "--proc",
                "/proc",
                "--dev",
                "/dev",
                "--bind",
                workspace.disk().toString(),
                INSIDE,
                "--bind",
                workspace.tmp().toString(),
                "/tmp",
                "--ro-bind",
                relay.toString(),
                RELAY,
                "--bind",
                gate.toString(),
                GATE,
                "--chdir",
                inside(directory),
                "--clearenv"));
        environment.forEach((name, value) -> options.addAll(List.of("--setenv", name, value)));
        return options;
    }

    @Override
    public String inside(Path path) {
        Path relative = workspace.disk().relativize(path);
        if (relative.startsWith("..")) {
            throw new IllegalArgumentException(path + " is not in the build's folder");
        }
        return relative.toString().isEmpty() ? INSIDE : INSIDE + "/" + relative;
    }

    @Override
    public Path hostDirectory(Path directory) {
        return workspace.root(); // the namespace's init changes into the directory; root's programs start here
    }

    /** The files every build's {@code /etc/passwd} and {@code /etc/group} hold: itself, root and nobody. */
    static String passwd(int uid) {
        return "root:x:0:0:root:/root:/usr/sbin/nologin\n"
                + "build:x:" + uid + ":" + uid + ":build:" + INSIDE + "/home:/bin/sh\n"
                + "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
    }

    static String group(int uid) {
        return "root:x:0:\nbuild:x:" + uid + ":\nnogroup:x:65534:\n";
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] nulSeparated(List<String> options) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String option : options) {
            bytes.writeBytes(option.getBytes(StandardCharsets.UTF_8));
            bytes.write(0);
        }
        return bytes.toByteArray();
    }
}
