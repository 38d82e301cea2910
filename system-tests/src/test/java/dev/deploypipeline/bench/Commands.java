package dev.deploypipeline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The commands a user would type, run as they would run them; their output goes to one log. */
final class Commands {

    private final Path log;

    Commands(Path log) {
        this.log = log;
    }

    /** Runs {@code command} in {@code directory} and returns how long it took; one that fails stops the benchmark. */
    Duration run(Path directory, String... command) {
        return run(directory, Map.of(), command);
    }

    /** As {@link #run(Path, String...)}, with {@code environment} added to this process's own. */
    Duration run(Path directory, Map<String, String> environment, String... command) {
        ProcessBuilder builder = new ProcessBuilder(List.of(command))
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(directory);
            Files.writeString(
                    log,
                    "$ " + String.join(" ", command) + "\n",
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            Instant start = Instant.now();
            Process process = builder.start();
            if (!process.waitFor(15, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("`" + String.join(" ", command) + "` ran for 15 minutes; see " + log);
            }
            Duration took = Duration.between(start, Instant.now());
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        "`" + String.join(" ", command) + "` exited with code " + process.exitValue() + "; see " + log);
            }
            return took;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
