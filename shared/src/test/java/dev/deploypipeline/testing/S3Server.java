package dev.deploypipeline.testing;

import dev.deploypipeline.storage.S3Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.containers.GenericContainer;

/**
 * A real S3-protocol server: MinIO in a container where a Docker engine runs; otherwise S3Proxy, run from its
 * jar-with-dependencies as a child process (its
 * libraries would clash with Lettuce's Netty in this JVM), keeping objects in a temporary folder so they
 * outlive a restart. One is shared by all tests of a JVM, each test taking a bucket of its own; a fault
 * test starts its own to stop and start.
 */
public final class S3Server extends RestartableServer {

    public static final String ACCESS_KEY = "local-access-key";
    public static final String SECRET_KEY = "local-secret-key";

    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3Server shared;

    private S3Server() {
        super("s3proxy-test-", Duration.ofSeconds(60), Duration.ofSeconds(5));
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

    /** S3Proxy from its jar, keeping objects under this server's folder. */
    @Override
    protected Process startProcess(Path log) {
        Path jar = Path.of(System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Proxy's jar is missing at " + jar
                    + "; run the tests through Maven (./mvnw verify), which copies it there.");
        }
        Path properties = directory.resolve("s3proxy.properties");
        try {
            Files.createDirectories(directory.resolve("data"));
            Files.writeString(
                    properties,
                    String.join(
                            "\n",
                            "s3proxy.endpoint=" + endpoint(),
                            "s3proxy.authorization=aws-v2-or-v4",
                            "s3proxy.identity=" + ACCESS_KEY,
                            "s3proxy.credential=" + SECRET_KEY,
                            "jclouds.provider=filesystem-nio2",
                            "jclouds.filesystem.basedir=" + directory.resolve("data"),
                            "jclouds.identity=unused",
                            "jclouds.credential=unused"));
            return new ProcessBuilder(List.of(
                            javaExecutable(),
                            "-Xmx512m",
                            "-jar",
                            jar.toString(),
                            "--properties",
                            properties.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** MinIO, where a Docker engine runs: the same keys, the same fixed port. */
    @Override
    protected GenericContainer<?> startContainer() {
        return DockerServers.start(
                "minio/minio",
                9000,
                port,
                List.of("server", "/data"),
                Map.of("MINIO_ROOT_USER", ACCESS_KEY, "MINIO_ROOT_PASSWORD", SECRET_KEY));
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
