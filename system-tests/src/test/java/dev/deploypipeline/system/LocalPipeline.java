package dev.deploypipeline.system;

import dev.deploypipeline.storage.S3ObjectStorage;
import dev.deploypipeline.testing.BuildFolders;
import dev.deploypipeline.testing.GitHttpServer;
import dev.deploypipeline.testing.LocalProcess;
import dev.deploypipeline.testing.NpmRegistry;
import dev.deploypipeline.testing.PipelineServers;
import dev.deploypipeline.testing.RedisServer;
import dev.deploypipeline.testing.S3Server;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole pipeline on this machine: servers of its own ({@link PipelineServers#startAlone()}: a Redis with an
 * append-only file, so it can restart, an S3Proxy that can be stopped, a git server), upload-service, any number of
 * deploy-service replicas and the request-handler, each a real process given the servers' variables.
 */
final class LocalPipeline implements AutoCloseable {

    private final PipelineServers servers;
    private final Path workDirectory;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final Map<String, String> redis;
    private ServiceProcess upload;

    LocalPipeline(Path workDirectory) {
        this(workDirectory, Map.of());
    }

    /**
     * The same, with every service given {@code redis} besides: the variables of another Redis (a cluster, a
     * Sentinel) than the servers' own, which then stands unused.
     */
    LocalPipeline(Path workDirectory, Map<String, String> redis) {
        this.workDirectory = workDirectory;
        this.redis = Map.copyOf(redis);
        try {
            // Builds run as an unprivileged user, who must pass through this folder to reach its workspace.
            Files.setPosixFilePermissions(workDirectory, PosixFilePermissions.fromString("rwx--x--x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.servers = PipelineServers.startAlone();
        servers.git(); // its address is in every service's GIT_ALLOWED_HOSTS
    }

    Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>(servers.environment());
        environment.putAll(redis);
        return environment;
    }

    PipelineApi startUploadService(Map<String, String> extra) {
        Map<String, String> env = environment();
        env.putAll(extra);
        upload = start(new ServiceProcess(
                "upload-service",
                ServiceProcess.jar("upload-service"),
                env,
                LocalProcess.freePort(),
                workDirectory.resolve("logs")));
        return new PipelineApi(upload.baseUrl());
    }

    ServiceProcess startDeployReplica(String name, Map<String, String> extra) {
        Map<String, String> env = environment();
        env.put("DEPLOY_REPLICA_NAME", name);
        env.put(
                "DEPLOY_WORK_DIR",
                BuildFolders.reachable(workDirectory.resolve("builds-" + name)).toString());
        // This machine's npm registry, read at run time, is not on a public address: builds must be let reach it.
        env.put("BUILD_EGRESS_ALLOWED_HOSTS", NpmRegistry.hostAndPort());
        env.put("COREPACK_NPM_REGISTRY", NpmRegistry.serviceEnvironment().get("COREPACK_NPM_REGISTRY"));
        env.putAll(extra);
        return start(new ServiceProcess(
                name,
                ServiceProcess.jar("deploy-service"),
                env,
                LocalProcess.freePort(),
                workDirectory.resolve("logs")));
    }

    Browser startRequestHandler() {
        ServiceProcess handler = start(new ServiceProcess(
                "request-handler",
                ServiceProcess.jar("request-handler"),
                environment(),
                LocalProcess.freePort(),
                workDirectory.resolve("logs")));
        return new Browser(handler.baseUrl());
    }

    private ServiceProcess start(ServiceProcess service) {
        services.add(service);
        return service.start();
    }

    RedisClusterCommands<String, String> redis() {
        return servers.redis();
    }

    RedisServer redisServer() {
        return servers.redisServer();
    }

    S3Server s3Server() {
        return servers.s3Server();
    }

    S3ObjectStorage storage() {
        return servers.storage();
    }

    GitHttpServer git() {
        return servers.git();
    }

    @Override
    public void close() {
        services.forEach(ServiceProcess::close);
        servers.close();
    }
}
