package dev.deploypipeline.system;

import static org.awaitility.Awaitility.await;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One service as a real JVM started from its packaged jar, so a test can SIGTERM or {@code kill -9} it. */
final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path jar;
    private final Map<String, String> environment;
    private final int port;
    private final Path log;
    private Process process;

    ServiceProcess(String name, Path jar, Map<String, String> environment, int port, Path logDirectory) {
        this.name = name;
        this.jar = jar;
        this.environment = environment;
        this.port = port;
        this.log = logDirectory.resolve(name + ".log");
    }

    static Path jar(String service) {
        Path jar = Path.of(System.getProperty(service + ".jar", "../" + service + "/target/" + service + ".jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    jar + " is missing; run the tests with ./mvnw verify so the services are packaged first");
        }
        return jar;
    }

    ServiceProcess start() {
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx384m",
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        jar.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        try {
            Files.createDirectories(log.getParent());
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250))
                .failFast(name + " exited; see " + log, () -> !process.isAlive())
                .until(this::healthy);
        return this;
    }

    boolean healthy() {
        try {
            HttpResponse<Void> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(actuatorUrl() + "/actuator/health"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Where its actuator answers: its own port, or the management port it was given. */
    String actuatorUrl() {
        String management = environment.get("MANAGEMENT_SERVER_PORT");
        return management == null ? baseUrl() : "http://127.0.0.1:" + management;
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** {@code kill -9}: the JVM gets no chance to clean up. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, as an orchestrator stops a replica; returns the exit code once it has stopped. */
    int terminate(Duration within) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " did not stop within " + within + " of SIGTERM; see " + log);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        LocalProcess.stop(process, Duration.ofSeconds(20));
    }
}
