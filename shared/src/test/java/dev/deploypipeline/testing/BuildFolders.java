package dev.deploypipeline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * JUnit makes temporary folders that only their owner may enter; a build's uid must pass through them to its
 * workspace, as it passes through /tmp to the service's default work folder.
 */
public final class BuildFolders {

    private BuildFolders() {}

    /** Lets others pass (not list) through every folder from {@code workDir} up to the system's temp folder. */
    public static Path reachable(Path workDir) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        if (Files.exists(workDir) && !Files.isDirectory(workDir)) {
            return workDir; // a test of what happens when the work folder cannot be made
        }
        try {
            Files.createDirectories(workDir);
            for (Path folder = workDir.toAbsolutePath();
                    folder != null && folder.startsWith(tmp) && !folder.equals(tmp);
                    folder = folder.getParent()) {
                Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx--x--x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return workDir;
    }
}
