package dev.deploypipeline.site;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.storage.ObjectUpload;
import dev.deploypipeline.storage.S3ObjectStorage;
import dev.deploypipeline.storage.S3Settings;
import dev.deploypipeline.testing.RedisServer;
import dev.deploypipeline.testing.S3Server;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What the rest of the pipeline leaves for the handler, made directly: a real Redis and an S3Proxy bucket
 * holding {@code dist/{id}/} files and deployments in the state a test needs.
 */
public final class Pipeline implements AutoCloseable {

    private static Pipeline shared;

    private final RedisServer redis;
    private final S3Settings s3;
    private final RedisConnector connector;
    private final S3ObjectStorage storage;
    private final DeploymentStore deployments;
    private final DeploymentTransitions transitions;
    private final ProjectStore projects;
    // Each deployment is created a second after the one before, as the order of a project's history needs.
    private final Instant start = Instant.now();
    private final AtomicLong created = new AtomicLong();

    private Pipeline(RedisServer redis) {
        this.redis = redis;
        this.s3 = S3Server.shared().newBucket();
        this.connector = new RedisConnector(redis.settings());
        this.storage = new S3ObjectStorage(s3);
        storage.ensureBucket();
        this.deployments = new DeploymentStore(connector);
        this.transitions = new DeploymentTransitions(connector, Clock.systemUTC());
        this.projects = new ProjectStore(connector);
    }

    /**
     * The JVM-wide one, started on first use and stopped when the JVM exits; its Redis keeps its data across
     * {@link #restartRedis()}. Tests share it by using ids and project names of their own.
     */
    public static synchronized Pipeline shared() {
        if (shared == null) {
            shared = new Pipeline(RedisServer.startWithAppendOnlyFile());
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "pipeline-stop"));
        }
        return shared;
    }

    public void register(DynamicPropertyRegistry registry) {
        registry.add("REDIS_URL", () -> redis.url().toString());
        registry.add("S3_ENDPOINT", () -> s3.endpoint().toString());
        registry.add("S3_BUCKET", s3::bucket);
    }

    /** A deployment whose files are in S3 and whose state is {@code deployed}. */
    public DeploymentId deployed(Collection<SiteFile> files) {
        return deployed(null, files);
    }

    public DeploymentId deployed(ProjectName project, Collection<SiteFile> files) {
        DeploymentId id = uploaded(project, files);
        transitions.start(id, "");
        transitions.deploy(id, "");
        return id;
    }

    /** A deployment waiting in the queue, or being built: its files may be there, it is not served. */
    public DeploymentId uploaded(ProjectName project, Collection<SiteFile> files) {
        DeploymentId id = DeploymentId.random();
        Instant createdAt = start.plusSeconds(created.incrementAndGet());
        transitions.accept(Deployment.accepted(id, "https://git.example.com/site.git", null,
                project == null ? null : project.value(), createdAt), Duration.ofHours(1));
        storage.putAll(files.stream().map(file -> new ObjectUpload(ObjectKeys.site(id) + file.path(),
                file.content().length, file.contentType(), () -> new ByteArrayInputStream(file.content()))).toList());
        transitions.upload(id, "0".repeat(40));
        return id;
    }

    public ProjectName project(String name, boolean spaFallback) {
        ProjectName projectName = new ProjectName(name);
        projects.save(new Project(projectName, "https://git.example.com/" + name + ".git", "main", null, spaFallback,
                Instant.now()));
        return projectName;
    }

    public DeploymentStore deployments() {
        return deployments;
    }

    public DeploymentTransitions transitions() {
        return transitions;
    }

    public ProjectStore projects() {
        return projects;
    }

    public S3ObjectStorage storage() {
        return storage;
    }

    public void restartRedis() {
        redis.stop();
        redis.startAgain();
    }

    @Override
    public void close() {
        storage.close();
        connector.close();
        redis.close();
    }
}
