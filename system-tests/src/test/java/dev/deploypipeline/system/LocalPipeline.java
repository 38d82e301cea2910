package dev.deploypipeline.system;

import dev.deploypipeline.storage.S3ObjectStorage;
import dev.deploypipeline.storage.S3Settings;
import dev.deploypipeline.testing.BuildFolders;
import dev.deploypipeline.testing.GitHttpServer;
import dev.deploypipeline.testing.LocalProcess;
import dev.deploypipeline.testing.RedisServer;
import dev.deploypipeline.testing.NpmRegistry;
import dev.deploypipeline.testing.S3Server;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
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
 * The whole pipeline on this machine: a Redis (with an append-only file, so it can restart), a dedicated
 * S3Proxy (so it can be stopped), a git server, upload-service, any number of deploy-service replicas and
 * the request-handler, each a real process.
 */
final class LocalPipeline implements AutoCloseable {

    private final RedisServer redisServer;
    private final S3Server s3Server;
    private final GitHttpServer git;
    private final S3Settings s3;
    private final Path workDirectory;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final RedisClient redisClient;
    private final StatefulRedisConnection<String, String> redisConnection;
    private final S3ObjectStorage storage;
    private ServiceProcess upload;

    LocalPipeline(Path workDirectory) {
        this.workDirectory = workDirectory;
        try {
            // Builds run as an unprivileged user, who must pass through this folder to reach its workspace.
            Files.setPosixFilePermissions(workDirectory, PosixFilePermissions.fromString("rwx--x--x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.redisServer = RedisServer.startWithAppendOnlyFile();
        this.s3Server = S3Server.startNew();
        this.git = GitHttpServer.start();
        this.s3 = s3Server.newBucket();
        this.redisClient = RedisClient.create(redisServer.url().toString());
        this.redisConnection = redisClient.connect();
        this.storage = new S3ObjectStorage(s3);
    }

    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("REDIS_URL", redisServer.url().toString());
        env.put("S3_ENDPOINT", s3.endpoint().toString());
        env.put("S3_BUCKET", s3.bucket());
        env.put("AWS_REGION", s3.region());
        env.put("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
        env.put("GIT_ALLOWED_HOSTS", git.hostAndPort());
        return env;
    }

    PipelineApi startUploadService(Map<String, String> extra) {
        Map<String, String> env = environment();
        env.putAll(extra);
        upload = start(new ServiceProcess("upload-service", ServiceProcess.jar("upload-service"), env,
                LocalProcess.freePort(), workDirectory.resolve("logs")));
        return new PipelineApi(upload.baseUrl());
    }

    ServiceProcess startDeployReplica(String name, Map<String, String> extra) {
        Map<String, String> env = environment();
        env.put("DEPLOY_REPLICA_NAME", name);
        env.put("DEPLOY_WORK_DIR", BuildFolders.reachable(workDirectory.resolve("builds-" + name)).toString());
        // This machine's npm registry, read at run time, is not on a public address: builds must be let reach it.
        env.put("BUILD_EGRESS_ALLOWED_HOSTS", NpmRegistry.hostAndPort());
        env.put("COREPACK_NPM_REGISTRY", NpmRegistry.serviceEnvironment().get("COREPACK_NPM_REGISTRY"));
        env.putAll(extra);
        return start(new ServiceProcess(name, ServiceProcess.jar("deploy-service"), env, LocalProcess.freePort(),
                workDirectory.resolve("logs")));
    }

    Browser startRequestHandler() {
        ServiceProcess handler = start(new ServiceProcess("request-handler", ServiceProcess.jar("request-handler"),
                environment(), LocalProcess.freePort(), workDirectory.resolve("logs")));
        return new Browser(handler.baseUrl());
    }

    private ServiceProcess start(ServiceProcess service) {
        services.add(service);
        return service.start();
    }

    RedisCommands<String, String> redis() {
        return redisConnection.sync();
    }

    RedisServer redisServer() {
        return redisServer;
    }

    S3Server s3Server() {
        return s3Server;
    }

    S3ObjectStorage storage() {
        return storage;
    }

    GitHttpServer git() {
        return git;
    }

    @Override
    public void close() {
        services.forEach(ServiceProcess::close);
        storage.close();
        redisConnection.close();
        redisClient.shutdown();
        git.close();
        s3Server.close();
        redisServer.close();
    }
}
