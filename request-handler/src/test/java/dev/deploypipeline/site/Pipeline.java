package dev.deploypipeline.site;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.project.PreviewAlias;
import dev.deploypipeline.project.PreviewStore;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.storage.ObjectUpload;
import dev.deploypipeline.storage.S3ObjectStorage;
import dev.deploypipeline.testing.PipelineServers;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What the rest of the pipeline leaves for the handler, made directly on the JVM's {@link PipelineServers}:
 * {@code dist/{id}/} files in its bucket and deployments in the state a test needs.
 */
public final class Pipeline {

    private static final Pipeline SHARED = new Pipeline(PipelineServers.shared());

    private final PipelineServers servers;
    // Each deployment is created a second after the one before, as the order of a project's history needs.
    private final Instant start = Instant.now();
    private final AtomicLong created = new AtomicLong();

    private Pipeline(PipelineServers servers) {
        this.servers = servers;
    }

    /**
     * The JVM-wide one; its Redis keeps its data across {@link #restartRedis()}. Tests share it by using ids and
     * project names of their own.
     */
    public static Pipeline shared() {
        return SHARED;
    }

    public void register(DynamicPropertyRegistry registry) {
        servers.register(registry);
    }

    /** A deployment whose files are in S3 and whose state is {@code deployed}. */
    public DeploymentId deployed(Collection<SiteFile> files) {
        return deployed(null, files);
    }

    public DeploymentId deployed(ProjectName project, Collection<SiteFile> files) {
        DeploymentId id = uploaded(project, files);
        transitions().start(id, "");
        transitions().deploy(id, "");
        return id;
    }

    /** A deployed deployment built for a branch's preview (its label), not for the project's site. */
    public DeploymentId deployedPreview(PreviewAlias preview, Collection<SiteFile> files) {
        DeploymentId id = uploaded(preview.project(), preview, files);
        transitions().start(id, "");
        transitions().deploy(id, "");
        return id;
    }

    /** A deployment waiting in the queue, or being built: its files may be there, it is not served. */
    public DeploymentId uploaded(ProjectName project, Collection<SiteFile> files) {
        return uploaded(project, null, files);
    }

    private DeploymentId uploaded(ProjectName project, PreviewAlias preview, Collection<SiteFile> files) {
        DeploymentId id = DeploymentId.random();
        Instant createdAt = start.plusSeconds(created.incrementAndGet());
        transitions()
                .accept(
                        Deployment.accepted(
                                        id,
                                        "https://git.example.com/site.git",
                                        preview == null ? null : preview.branch(),
                                        project == null ? null : project.value(),
                                        createdAt)
                                .withSite(preview == null ? null : preview.label(), null),
                        Duration.ofHours(1));
        storage()
                .putAll(files.stream()
                        .map(file -> new ObjectUpload(
                                ObjectKeys.site(id) + file.path(),
                                file.content().length,
                                file.contentType(),
                                () -> new ByteArrayInputStream(file.content())))
                        .toList());
        transitions().upload(id, "0".repeat(40));
        return id;
    }

    public ProjectName project(String name, boolean spaFallback) {
        ProjectName projectName = new ProjectName(name);
        projects()
                .save(new Project(
                        projectName,
                        "https://git.example.com/" + name + ".git",
                        "main",
                        null,
                        spaFallback,
                        Instant.now()));
        return projectName;
    }

    public DeploymentStore deployments() {
        return servers.deployments();
    }

    public DeploymentTransitions transitions() {
        return servers.transitions();
    }

    public ProjectStore projects() {
        return servers.projects();
    }

    public PreviewStore previews() {
        return new PreviewStore(servers.connector());
    }

    public S3ObjectStorage storage() {
        return servers.storage();
    }

    public void restartRedis() {
        servers.redisServer().stop();
        servers.redisServer().startAgain();
    }
}
