package dev.deploypipeline.deploy.egress;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * The relay that runs inside a build's sandbox ({@code egress/relay.js}, Node with no dependencies): it listens
 * on an ephemeral loopback port, points the proxy variables of npm, pnpm, yarn, corepack, curl and git at it,
 * runs the build's command, and carries each connection to the gateway's Unix socket.
 */
public final class EgressRelay {

    static final String RESOURCE = "/egress/relay.js";

    private EgressRelay() {}

    /** Writes the script into {@code folder} (readable by all, so the build's user can run it); its path. */
    public static Path install(Path folder) throws IOException {
        Path script = folder.resolve("relay.js");
        try (InputStream source = EgressRelay.class.getResourceAsStream(RESOURCE)) {
            if (source == null) {
                throw new IOException("the relay script " + RESOURCE + " is missing from the class path");
            }
            Files.copy(source, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        return script;
    }

    /**
     * {@code node <script> <socket> -- <command...>}: the paths as the sandbox sees them. The relay exits with the
     * command's exit code (128 + the signal's number when a signal ended it), 125 when it could not start (the
     * socket missing, no port), 126 or 127 when the command could not be run or found.
     */
    public static List<String> command(Path script, Path socket, List<String> command) {
        List<String> arguments = new ArrayList<>(List.of("node", script.toString(), socket.toString(), "--"));
        arguments.addAll(command);
        return List.copyOf(arguments);
    }
}
