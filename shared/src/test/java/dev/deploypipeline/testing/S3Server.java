package dev.deploypipeline.testing;

import dev.deploypipeline.storage.S3Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.testcontainers.containers.GenericContainer;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real S3-protocol server: MinIO in a container where a Docker engine runs; otherwise S3Proxy, run from its
 * jar-with-dependencies as a child process (its
 * libraries would clash with Lettuce's Netty in this JVM), keeping objects in a temporary folder so they
 * outlive a restart. One is shared by all tests of a JVM, each test taking a bucket of its own; a fault
 * test starts its own to stop and start.
 */
public final class S3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "local-access-key";
    public static final String SECRET_KEY = "local-secret-key";

    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3Server shared;

    private final int port;
    private final Path directory;
    private Process process;
    private GenericContainer<?> container;

    private S3Server() {
        this.port = LocalProcess.freePort();
        try {
            this.directory = Files.createTempDirectory("s3proxy-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JVM-wide server, started on first use and stopped when the JVM exits. */
    public static synchronized S3Server shared() {
        if (shared == null) {
            shared = startNew();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "s3proxy-stop"));
        }
        return shared;
    }

    public static S3Server startNew() {
        S3Server server = new S3Server();
        server.startAgain();
        return server;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Settings for a bucket no other test uses. */
    public S3Settings newBucket() {
        String bucket = "test-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        return new S3Settings(endpoint(), bucket.toLowerCase(Locale.ROOT), "us-east-1", 8);
    }

    public synchronized void startAgain() {
        if (DockerServers.available()) {
            startContainer();
            return;
        }
        if (process != null && process.isAlive()) {
            return;
        }
        Path jar = Path.of(System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Proxy's jar is missing at " + jar
                    + "; run the tests through Maven (./mvnw verify), which copies it there.");
        }
        Path properties = directory.resolve("s3proxy.properties");
        Path log = directory.resolve("s3proxy.log");
        try {
            Files.createDirectories(directory.resolve("data"));
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=" + endpoint(),
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem-nio2",
                    "jclouds.filesystem.basedir=" + directory.resolve("data"),
                    "jclouds.identity=unused",
                    "jclouds.credential=unused"));
            process = new ProcessBuilder(List.of(javaExecutable(), "-Xmx512m", "-jar", jar.toString(),
                    "--properties", properties.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LocalProcess.awaitPort(process, port, Duration.ofSeconds(60), log);
    }

    /** MinIO, where a Docker engine runs: the same keys, the same fixed port. */
    private void startContainer() {
        if (container == null) {
            container = DockerServers.start("minio/minio", 9000, port, List.of("server", "/data"),
                    java.util.Map.of("MINIO_ROOT_USER", ACCESS_KEY, "MINIO_ROOT_PASSWORD", SECRET_KEY));
        } else {
            DockerServers.resume(container);
        }
        LocalProcess.awaitPort(port, Duration.ofSeconds(60));
    }

    public synchronized void stop() {
        if (container != null) {
            DockerServers.pause(container);
        } else {
            LocalProcess.stop(process, Duration.ofSeconds(5));
        }
    }

    @Override
    public void close() {
        if (container != null) {
            container.stop();
        } else {
            stop();
        }
        LocalProcess.deleteRecursively(directory);
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
