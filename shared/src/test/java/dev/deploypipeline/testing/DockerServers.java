package dev.deploypipeline.testing;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * Where a Docker engine runs, the fixtures use containers (Redis, MinIO) through Testcontainers; elsewhere
 * local processes. Each container is published on a fixed loopback port, so a test can stop and start it
 * and its clients find it again. {@code -Dtests.servers=local} forces local processes.
 */
final class DockerServers {

    private static final boolean AVAILABLE = detect();

    private DockerServers() {}

    private static boolean detect() {
        boolean docker = !"local".equals(System.getProperty("tests.servers"))
                && DockerClientFactory.instance().isDockerAvailable();
        LoggerFactory.getLogger(DockerServers.class)
                .info(
                        docker
                                ? "A Docker engine runs: Redis and S3 (MinIO) run in containers"
                                : "No Docker engine: Redis and S3 (S3Proxy) run as local processes");
        return docker;
    }

    static boolean available() {
        return AVAILABLE;
    }

    /** A started container of {@code image}, its {@code containerPort} published on loopback {@code hostPort}. */
    static GenericContainer<?> start(
            String image, int containerPort, int hostPort, List<String> command, Map<String, String> env) {
        GenericContainer<?> container = new GenericContainer<>(image)
                .withExposedPorts(containerPort)
                .withEnv(env)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                        .withPortBindings(new PortBinding(
                                Ports.Binding.bindIpAndPort("127.0.0.1", hostPort), ExposedPort.tcp(containerPort))));
        if (!command.isEmpty()) {
            container.withCommand(command.toArray(String[]::new));
        }
        container.start();
        return container;
    }

    /** Stops the container but keeps it, with its data, for {@link #resume}. */
    static void pause(GenericContainer<?> container) {
        DockerClientFactory.lazyClient()
                .stopContainerCmd(container.getContainerId())
                .exec();
    }

    static void resume(GenericContainer<?> container) {
        DockerClientFactory.lazyClient()
                .startContainerCmd(container.getContainerId())
                .exec();
    }
}
