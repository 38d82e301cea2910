package dev.deploypipeline.deploy.egress;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs the installed relay as a build would, a command behind it, and keeps what they print in files. */
final class RelayProcess {

    /** How the relay ended, and what it and its command printed. */
    record Finished(int exitCode, String output, String errors) {}

    private final Path folder;
    private final List<String> sandbox;
    private final Path script;
    private final AtomicInteger runs = new AtomicInteger();
    private Path output;
    private Path errors;

    RelayProcess(Path folder) throws IOException {
        this(folder, List.of());
    }

    /** @param sandbox what the relay runs under, as a build's sandbox would run it */
    RelayProcess(Path folder, List<String> sandbox) throws IOException {
        this.folder = folder;
        this.sandbox = List.copyOf(sandbox);
        this.script = EgressRelay.install(folder);
    }

    /** {@code sh -c script sh arguments...}: the arguments are the script's $1, $2... */
    static List<String> shell(String script, String... arguments) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", script, "sh"));
        command.addAll(List.of(arguments));
        return command;
    }

    /** Starts {@code node relay.js <socket> -- <command>} with these variables added to this JVM's. */
    Process start(Path socket, Map<String, String> environment, List<String> command) throws IOException {
        int run = runs.incrementAndGet();
        output = folder.resolve("relay-" + run + ".out");
        errors = folder.resolve("relay-" + run + ".err");
        List<String> relayed = new ArrayList<>(sandbox);
        relayed.addAll(EgressRelay.command(script, socket, command));
        ProcessBuilder builder = new ProcessBuilder(relayed)
                .directory(folder.toFile())
                .redirectOutput(output.toFile())
                .redirectError(errors.toFile());
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
