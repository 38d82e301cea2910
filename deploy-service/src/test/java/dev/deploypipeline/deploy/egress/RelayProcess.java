package dev.deploypipeline.deploy.egress;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs the installed relay as a build would, a command behind it, and keeps what they print in files. */
final class RelayProcess {

    /** How the relay ended, and what it and its command printed. */
    record Finished(int exitCode, String output, String errors) {
    }

    private final Path folder;
    private final Path script;
    private final AtomicInteger runs = new AtomicInteger();
    private Path output;
    private Path errors;

    RelayProcess(Path folder) throws IOException {
        this.folder = folder;
        this.script = EgressRelay.install(folder);
    }

    /** Starts {@code node relay.js <socket> -- <command>} with these variables added to this JVM's. */
    Process start(Path socket, Map<String, String> environment, List<String> command) throws IOException {
        int run = runs.incrementAndGet();
        output = folder.resolve("relay-" + run + ".out");
        errors = folder.resolve("relay-" + run + ".err");
        ProcessBuilder builder = new ProcessBuilder(EgressRelay.command(script, socket, command))
                .directory(folder.toFile()).redirectOutput(output.toFile()).redirectError(errors.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    Finished run(Path socket, Map<String, String> environment, Duration timeout, List<String> command)
            throws IOException, InterruptedException {
        Process process = start(socket, environment, command);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            fail("the relay did not end within " + timeout + "; it printed " + errors());
        }
        return new Finished(process.exitValue(), output(), errors());
    }

    Finished run(Path socket, List<String> command) throws IOException, InterruptedException {
        return run(socket, Map.of(), Duration.ofSeconds(30), command);
    }

    /** What the last run printed so far on its standard output. */
    String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    private String errors() throws IOException {
        return Files.readString(errors, StandardCharsets.UTF_8);
    }
}
