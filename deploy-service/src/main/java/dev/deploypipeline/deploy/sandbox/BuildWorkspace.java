package dev.deploypipeline.deploy.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * The folder of one build, {@code {id}-u{uid}-{random}} in the work folder. Its top belongs to this service and
 * can be passed through but not listed; it holds the build's log and, in {@code build/} (the build's own disk
 * where the machine allows, owned by the build's uid alone), {@code source/} (the sources, then the build's
 * output), {@code home/} (the build's HOME, its package manager's cache included) and {@code tmp/}.
 */
public record BuildWorkspace(Path root) {

    private static final Logger log = LoggerFactory.getLogger(BuildWorkspace.class);

    /** Makes the top folder; the build's own folders are made once its disk is there. */
    static BuildWorkspace create(Path workDir, String name) throws IOException {
        Path root = workDir.resolve(name);
        Files.createDirectory(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        return new BuildWorkspace(root);
    }

    /** The build's own part: everything it may write. */
    public Path disk() {
        return root.resolve("build");
    }

    public Path source() {
        return disk().resolve("source");
    }

    public Path home() {
        return disk().resolve("home");
    }

    public Path tmp() {
        return disk().resolve("tmp");
    }

    /** Written by this service alone; the build can neither read nor change it. */
    public Path log() {
        return root.resolve("build.log");
    }

    Path file(String name) {
        return root.resolve(name);
    }

    /** Removes it all, walking without following links, so a link a build left is removed, never its target. */
    void delete() {
        try {
            FileSystemUtils.deleteRecursively(root);
        } catch (IOException e) {
            log.warn("Could not remove the build folder {}", root, e);
        }
    }
}
