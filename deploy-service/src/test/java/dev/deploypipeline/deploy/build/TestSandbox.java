package dev.deploypipeline.deploy.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Sandboxes for tests, as the service makes them at start, over a work folder the build user can reach. */
public final class TestSandbox {

    private TestSandbox() {
    }

    public static BuildSandbox standard(Path workDir) {
        return BuildSandbox.detect(settings(SandboxSettings.Mode.NONE), reachable(workDir));
    }

    public static BuildSandbox bubblewrap(Path workDir) {
        return BuildSandbox.detect(settings(SandboxSettings.Mode.BWRAP), reachable(workDir));
    }

    private static SandboxSettings settings(SandboxSettings.Mode mode) {
        return new SandboxSettings(mode, SandboxSettings.DEFAULT_USER, SandboxSettings.DEFAULT_INHERITED);
    }

    /**
     * JUnit makes temporary folders that only their owner may enter; a build user must pass through them to
     * its workspace, as it passes through /tmp to the service's default work folder.
     */
    public static Path reachable(Path workDir) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        if (Files.exists(workDir) && !Files.isDirectory(workDir)) {
            return workDir; // a test of what happens when the work folder cannot be made
        }
        try {
            Files.createDirectories(workDir);
            for (Path folder = workDir.toAbsolutePath(); folder != null && folder.startsWith(tmp) && !folder.equals(tmp);
                    folder = folder.getParent()) {
                Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx--x--x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return workDir;
    }
}
