package dev.deploypipeline.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml as Docker Compose itself reads it ({@code docker compose config}; this machine has the CLI and
 * no engine, so nothing is run): the images exist, every container that keeps running has a health check, the
 * services wait for healthy Redis and MinIO, request-handler reads the bucket with a key that may only read, and
 * nothing starts without this installation's credentials.
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> SERVICES = List.of("upload-service", "deploy-service", "request-handler");
    private static final Map<String, String> CREDENTIALS = Map.of(
            "REDIS_PASSWORD", "test-redis-password",
            "MINIO_ROOT_USER", "test-minio-user",
            "MINIO_ROOT_PASSWORD", "test-minio-password",
            "S3_READER_ACCESS_KEY_ID", "test-reader",
            "S3_READER_SECRET_ACCESS_KEY", "test-reader-password");

    @TempDir
    Path temp;

    @Test
    void composeReadsTheFileWithMaintainedImagesHealthChecksAndDependenciesOnHealthyServers() throws IOException {
        ProgramRun config = compose(CREDENTIALS, "config");

        assertThat(config.exitCode()).as(config.output()).isZero();
        Map<String, Map<String, Object>> services = services(config.output());
        assertThat(services).containsOnlyKeys(concat(SERVICES, "redis", "minio", "minio-users"));
        assertThat(services.get("minio")).containsEntry("image", "quay.io/minio/minio");
        assertThat(services.get("minio-users")).containsEntry("image", "quay.io/minio/mc");
        assertThat(services.get("redis").get("image")).isEqualTo("redis:7");
        services.forEach((name, service) -> {
            if (!name.equals("minio-users")) { // it ends once it has made the user
                assertThat(map(service.get("healthcheck")).get("test")).as(name).isNotNull();
            }
        });
        for (String name : SERVICES) {
            Map<String, Object> service = services.get(name);
            Map<String, Object> dependencies = map(service.get("depends_on"));
            assertThat(dependencies).as(name).containsKeys("redis", "minio");
            assertThat(map(dependencies.get("redis"))).containsEntry("condition", "service_healthy");
            assertThat(map(dependencies.get("minio"))).containsEntry("condition", "service_healthy");
            Map<String, Object> build = map(service.get("build"));
            assertThat(Path.of((String) build.get("context"))).isEqualTo(ROOT);
            assertThat(map(build.get("args"))).containsEntry("SERVICE", name);
            assertThat(map(service.get("environment")))
                    .containsEntry("REDIS_URL", "redis://:test-redis-password@redis:6379");
        }
    }

    @Test
    void onlyTheServicesThatWriteTheBucketHoldMinioRootKeysAndRequestHandlerWaitsForItsOwnReadOnlyUser()
            throws IOException {
        ProgramRun config = compose(CREDENTIALS, "config");

        assertThat(config.exitCode()).as(config.output()).isZero();
        Map<String, Map<String, Object>> services = services(config.output());
        for (String writer : List.of("upload-service", "deploy-service")) {
            assertThat(map(services.get(writer).get("environment")))
                    .as(writer)
                    .containsEntry("AWS_ACCESS_KEY_ID", "test-minio-user")
                    .containsEntry("AWS_SECRET_ACCESS_KEY", "test-minio-password");
            assertThat(map(services.get(writer).get("depends_on"))).containsOnlyKeys("redis", "minio");
        }
        Map<String, Object> requestHandler = services.get("request-handler");
        assertThat(map(requestHandler.get("environment")))
                .containsEntry("AWS_ACCESS_KEY_ID", "test-reader")
                .containsEntry("AWS_SECRET_ACCESS_KEY", "test-reader-password")
                .doesNotContainValue("test-minio-password");
        assertThat(map(map(requestHandler.get("depends_on")).get("minio-users")))
                .containsEntry("condition", "service_completed_successfully");

        Map<String, Object> users = services.get("minio-users");
        assertThat(map(users.get("environment")))
                .containsEntry("READER_ACCESS_KEY_ID", "test-reader")
                .containsEntry("READER_SECRET_ACCESS_KEY", "test-reader-password");
        String script = String.join("\n", strings(users.get("command")));
        assertThat(script)
                .contains("mc admin policy attach minio site-reader")
                .as("keys reach mc on its standard input, never on a command line")
                .doesNotContain("test-reader-password", "test-minio-password");
        assertThat(Files.readString(mountedAt(users, "/etc/s3-read-policy/policy.json")))
                .contains("\"s3:GetObject\"", "arn:aws:s3:::deployments/dist/*")
                .doesNotContain("s3:PutObject", "s3:DeleteObject", "s3:*");
    }

    @Test
    void composeRefusesToStartWithoutThisInstallationsCredentials() throws IOException {
        ProgramRun config = compose(Map.of(), "config");

        assertThat(config.exitCode()).isNotZero();
        assertThat(config.output()).contains("run scripts/compose-secrets.sh first");
    }

    @Test
    void theOneDockerfileHasAStageForEveryServiceItsContextLetsThrough() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        List<String> admitted = Files.readAllLines(ROOT.resolve(".dockerignore"));

        for (String name : SERVICES) {
            assertThat(dockerfile).containsPattern("(?m)^FROM \\S+ AS " + name + "-base$");
            assertThat(admitted).contains("!" + name + "/target/" + name + ".jar");
        }
        assertThat(admitted).contains("!scripts/run-service.sh");
        assertThat(dockerfile).contains("ENTRYPOINT [\"/bin/sh\", \"-c\", \"exec /app/run-service.sh");
    }

    /**
     * Compose with these credentials and none of the others from this JVM's environment, reading an empty env file,
     * so a developer's own .env changes nothing.
     */
    private ProgramRun compose(Map<String, String> credentials, String... arguments) throws IOException {
        Path envFile = Files.writeString(temp.resolve("empty.env"), "");
        List<String> command = new ArrayList<>(composeCommand());
        command.addAll(List.of(
                "--project-directory",
                ROOT.toString(),
                "-f",
                ROOT.resolve("docker-compose.yml").toString(),
                "--env-file",
                envFile.toString()));
        command.addAll(List.of(arguments));
        return run(command, credentials);
    }

    /** Compose v2 as the docker CLI's plugin, or v1's docker-compose (Debian's package); scripts/test.sh installs it. */
    private List<String> composeCommand() throws IOException {
        if (run(List.of("docker", "compose", "version"), Map.of()).exitCode() == 0) {
            return List.of("docker", "compose");
        }
        ProgramRun v1 = run(List.of("docker-compose", "version"), Map.of());
        assertThat(v1.exitCode())
                .as("Docker Compose is missing: install the docker-compose-plugin or docker-compose package"
                        + " (scripts/prerequisites.sh test does)")
                .isZero();
        return List.of("docker-compose");
    }

    private ProgramRun run(List<String> command, Map<String, String> credentials) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeAll(CREDENTIALS.keySet());
        builder.environment().putAll(credentials);
        try {
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as(String.join(" ", command) + " ended")
                    .isTrue();
            return new ProgramRun(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new ProgramRun(127, String.join(" ", command) + ": " + e.getMessage()); // not installed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Map<String, Object>> services(String yaml) {
        Map<String, Object> file = new Yaml().load(yaml);
        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        map(file.get("services")).forEach((name, service) -> services.put(name, map(service)));
        return services;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    /**
     * The host file a service mounts at this path: Compose v2 writes a mount as a map, v1 as {@code source:target:ro}.
     */
    private static Path mountedAt(Map<String, Object> service, String target) {
        assertThat(service.get("volumes")).isInstanceOf(List.class);
        for (Object volume : (List<?>) service.get("volumes")) {
            if (volume instanceof String mount && mount.startsWith("/")) {
                String[] parts = mount.split(":");
                if (parts[1].equals(target)) {
                    return Path.of(parts[0]);
                }
            } else if (volume instanceof Map<?, ?> mount && target.equals(mount.get("target"))) {
                return Path.of((String) mount.get("source"));
            }
        }
        throw new AssertionError("nothing is mounted at " + target + ": " + service.get("volumes"));
    }

    private static List<String> strings(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return ((List<?>) value).stream().map(String.class::cast).toList();
    }

    private static List<String> concat(List<String> names, String... more) {
        List<String> all = new ArrayList<>(names);
        all.addAll(List.of(more));
        return all;
    }
}
