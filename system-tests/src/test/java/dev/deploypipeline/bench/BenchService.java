package dev.deploypipeline.bench;

import dev.deploypipeline.testing.LocalProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * One service of the pipeline as the machine runs it: through {@code scripts/run-service.sh <service>} where the
 * checkout has that launcher (its JVM defaults are what is measured), else {@code java -jar} with none.
 */
final class BenchService implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Process process;
    private final Instant started;
    private final Path log;

    private BenchService(String name, int port, Process process, Instant started, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.started = started;
        this.log = log;
    }

    /**
     * Starts {@code service} with {@code environment} on a free port; its output goes to {@code logs}. The
     * launcher's once-per-build preparation (unpacking the jar, making its start archive) is done first and not
     * counted in the start, as {@code scripts/start-time.sh} does.
     */
    static BenchService start(Path root, String service, String name, Map<String, String> environment, Path logs) {
        int port = LocalProcess.freePort();
        Path launcher = root.resolve("scripts/run-service.sh");
        if (Files.isExecutable(launcher)) {
            prepare(root, launcher, service, environment, logs.resolve(name + "-prepare.log"));
        }
        List<String> command = Files.isExecutable(launcher)
                ? List.of(launcher.toString(), service)
                : List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        root.resolve(service + "/target/" + service + ".jar").toString());
        Path log = logs.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        try {
            Files.createDirectories(logs);
            Instant started = Instant.now();
            return new BenchService(name, port, builder.start(), started, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void prepare(Path root, Path launcher, String service, Map<String, String> environment, Path log) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "--prepare", service)
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process prepare = builder.start();
            if (prepare.waitFor() != 0) {
                throw new IllegalStateException("run-service.sh --prepare " + service + " failed; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String launcherOf(Path root) {
        return Files.isExecutable(root.resolve("scripts/run-service.sh"))
                ? "scripts/run-service.sh <service>"
                : "java -jar <service>.jar (no scripts/run-service.sh in this checkout)";
    }

    /** Waits until its health is UP and {@code ready} holds; returns how long that took from the process's start. */
    Duration awaitReady(Duration within, BooleanSupplier ready) {
        Instant deadline = Instant.now().plus(within);
        while (!(healthy() && ready.getAsBoolean())) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited while starting; see " + log);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(name + " was not ready within " + within + "; see " + log);
            }
            pause(Duration.ofMillis(20));
        }
        return Duration.between(started, Instant.now());
    }

    private boolean healthy() {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String name() {
        return name;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The resident memory of its JVM (the process itself, or the java a wrapper started), from /proc. */
    long residentBytes() {
        long pid = jvm().orElse(process.pid());
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS for " + name + " (pid " + pid + ")");
    }

    /** The CPU time its JVM has used so far. */
    Duration cpuTime() {
        long pid = jvm().orElse(process.pid());
        return ProcessHandle.of(pid)
                .flatMap(handle -> handle.info().totalCpuDuration())
                .orElseThrow(() -> new IllegalStateException("no CPU time for " + name + " (pid " + pid + ")"));
    }

    private Optional<Long> jvm() {
        List<ProcessHandle> family = new ArrayList<>();
        family.add(process.toHandle());
        try (Stream<ProcessHandle> descendants = process.descendants()) {
            descendants.forEach(family::add);
        }
        return family.stream()
                .filter(handle -> handle.info().command().orElse("").endsWith("/java"))
                .map(ProcessHandle::pid)
                .findFirst();
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis()); // a poll's interval, not a wait for a result
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        LocalProcess.stop(process, Duration.ofSeconds(30));
    }
}
