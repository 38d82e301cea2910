package dev.deploypipeline.kubernetes;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code kubectl kustomize}, the renderer of {@code kubectl apply -k} that the README has a person use. What it prints
 * on standard error (a deprecated field, say) fails the rendering as its exit code does.
 */
final class Kustomize {

    private Kustomize() {}

    /** What {@code kubectl kustomize directory} prints. */
    static String render(Path directory) {
        return run(List.of("kubectl", "kustomize", directory.toString()), directory);
    }

    /** Runs {@code command} in {@code directory}; its standard output, when it exits 0 and says nothing on stderr. */
    static String run(List<String> command, Path directory) {
        try {
            File output = File.createTempFile("kustomize", ".out");
            File errors = File.createTempFile("kustomize", ".err");
            try {
                Process process = start(command, directory, output, errors);
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(command + " did not end within 2 minutes");
                }
                String complaints = Files.readString(errors.toPath(), StandardCharsets.UTF_8);
                if (process.exitValue() != 0 || !complaints.isBlank()) {
                    throw new IllegalStateException(command + " exited with " + process.exitValue() + ", saying:\n"
                            + complaints + "\n(kubectl kustomize needs kubectl 1.21 or newer, whose kustomize is v4"
                            + " or newer: `kubectl version --client` says which this is)");
                }
                return Files.readString(output.toPath(), StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(output.toPath());
                Files.deleteIfExists(errors.toPath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Process start(List<String> command, Path directory, File output, File errors) {
        try {
            return new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectOutput(output)
                    .redirectError(errors)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    command.get(0) + " could not be run (" + e.getMessage() + "): kubectl 1.21 or newer is needed,"
                            + " which scripts/prerequisites.sh test installs",
                    e);
        }
    }
}
