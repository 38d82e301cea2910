package dev.deploypipeline.deploy.build;

import dev.deploypipeline.deployment.DeploymentId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * A fresh folder for one build: {@code source/} (the sources, then the build's output), {@code home/} (the
 * build's private HOME, npm's cache included) and {@code build.log}. Closing it removes it all.
 */
public record BuildWorkspace(Path root) implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BuildWorkspace.class);

    public static BuildWorkspace create(Path workDir, DeploymentId id) throws IOException {
        Files.createDirectories(workDir);
        BuildWorkspace workspace = new BuildWorkspace(Files.createTempDirectory(workDir, id + "-"));
        Files.createDirectories(workspace.source());
        Files.createDirectories(workspace.home());
        return workspace;
    }

    public Path source() {
        return root.resolve("source");
    }

    public Path home() {
        return root.resolve("home");
    }

    public Path log() {
        return root.resolve("build.log");
    }

    @Override
    public void close() {
        try {
            // Walks without following links, so a symlink a build left behind is removed, never its target.
            FileSystemUtils.deleteRecursively(root);
        } catch (IOException e) {
            log.warn("Could not remove the build folder {}", root, e);
        }
    }
}
