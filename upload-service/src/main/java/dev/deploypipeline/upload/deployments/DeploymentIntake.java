package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.queue.DeploymentQueue;
import dev.deploypipeline.threads.NamedThreads;
import dev.deploypipeline.upload.access.Caller;
import dev.deploypipeline.upload.git.FetchSettings;
import dev.deploypipeline.upload.git.RefName;
import dev.deploypipeline.upload.git.RepositoryKey;
import dev.deploypipeline.upload.git.RepositoryUrl;
import dev.deploypipeline.upload.git.RepositoryUrlPolicy;
import dev.deploypipeline.upload.previews.Previews;
import dev.deploypipeline.upload.previews.Previews.BranchPreview;
import dev.deploypipeline.upload.problems.InvalidRequestException;
import dev.deploypipeline.upload.problems.ProjectNotFoundException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Accepts a deployment at once and fetches it in the background on a bounded pool. Refuses it (creating
 * nothing) when its repository may not be fetched, when {@code QUEUE_MAX_LENGTH} deployments wait already,
 * or when the fetch backlog is full.
 */
@Service
public class DeploymentIntake implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeploymentIntake.class);
    private static final Duration RETRY_AFTER_BUSY = Duration.ofSeconds(10);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final DeploymentTransitions transitions;
    private final DeploymentQueue queue;
    private final ProjectStore projects;
    private final RepositoryUrlPolicy policy;
    private final SourceUploader uploader;
    private final QueueSettings queueSettings;
    private final Clock clock;
    private final FetchLeases leases;
    private final Previews previews;
    private final SiteUrls siteUrls;
    private final ThreadPoolExecutor fetches;

    DeploymentIntake(
            DeploymentTransitions transitions,
            DeploymentQueue queue,
            ProjectStore projects,
            RepositoryUrlPolicy policy,
            SourceUploader uploader,
            FetchSettings fetchSettings,
            QueueSettings queueSettings,
            Clock clock,
            FetchLeases leases,
            Previews previews,
            SiteUrls siteUrls) {
        this.transitions = transitions;
        this.queue = queue;
        this.projects = projects;
        this.policy = policy;
        this.uploader = uploader;
        this.queueSettings = queueSettings;
        this.clock = clock;
        this.leases = leases;
        this.previews = previews;
        this.siteUrls = siteUrls;
        this.fetches = NamedThreads.bounded("fetch", fetchSettings.concurrency(), fetchSettings.backlog());
    }

    /**
     * A request of the API: its project (if it names one) gives the repository and every setting the request
     * leaves out. The caller must be allowed to deploy that project (or, for no project, any); a repository other
     * than the project's is refused.
     */
    public Deployment accept(DeployRequest request, Caller caller) {
        Optional<Project> project = Optional.ofNullable(request.project()).map(name -> {
            ProjectName projectName = new ProjectName(name);
            caller.requireProject(projectName);
            return projects.find(projectName).orElseThrow(() -> new ProjectNotFoundException(projectName));
        });
        if (project.isEmpty()) {
            caller.requireAnyProject();
        }
        BuildSettings requested = request.build().validated();
        project.filter(p -> changesWhatRuns(requested))
                .ifPresent(p -> caller.requireAdmin("a deployment of project " + p.name() + " runs its commands with"
                        + " its env: only an admin token may change rootDirectory, installCommand, buildCommand or"
                        + " outputDirectory for one deployment; change the project's own with PATCH /projects/"
                        + p.name()));
        // A project's own URL is checked once, below; a request naming none deploys it.
        RepositoryUrl given = request.repoUrl() == null && project.isPresent() ? null : policy.check(request.repoUrl());
        project.filter(p -> given != null && !sameRepository(p, given)).ifPresent(p -> {
            throw new ProjectRepositoryMismatchException(p.name(), p.repoUrl());
        });
        // The same repository spelled otherwise is still fetched as the project spells it: never over another scheme.
        RepositoryUrl url = project.map(p -> policy.check(p.repoUrl())).orElse(given);
        if (request.ref() != null && request.branch() != null) {
            throw new InvalidRequestException("give ref or branch, not both");
        }
        String branch = RefName.branch(request.branch(), "branch");
        String givenRef = RefName.checked(request.ref(), "ref");
        String ref = branch != null
                ? branch
                : givenRef != null ? givenRef : project.map(Project::branch).orElse(null);
        // A branch builds the site only when it is the project's; what only the fetch can tell, it decides then.
        BranchPreview preview = project.map(p -> branch != null
                        ? previews.forBranch(p, branch)
                        : givenRef != null ? previews.forRef(p, givenRef) : BranchPreview.NONE)
                .orElse(BranchPreview.NONE);
        BuildSettings build = project.map(p -> requested.orElse(p.build())).orElse(requested);
        return accept(new DeploymentOrder(
                url, ref, project.map(Project::name).orElse(null), build, null, preview.label(), preview.tentative()));
    }

    /**
     * Deploys again what {@code earlier} deployed: its repository (checked again), ref, project and build settings.
     * The caller must be allowed to deploy its project (or, for none, any). A project's deployment is built with the
     * project's env as it is now, so a secret rotated or removed since is never used again, and only while the
     * project still deploys that repository: one changed since is a 409, as for {@code POST /deploy}.
     */
    public Deployment redeploy(Deployment earlier, Caller caller) {
        Optional<ProjectName> projectName =
                Optional.ofNullable(earlier.project()).map(ProjectName::new);
        projectName.ifPresentOrElse(caller::requireProject, caller::requireAnyProject);
        RepositoryUrl url;
        BuildSettings build = earlier.build();
        if (projectName.isPresent()) {
            Project project =
                    projects.find(projectName.get()).orElseThrow(() -> new ProjectNotFoundException(projectName.get()));
            if (!sameRepository(project, RepositoryUrl.parse(earlier.repoUrl()))) {
                throw new ProjectRepositoryMismatchException(project.name(), project.repoUrl());
            }
            url = policy.check(project.repoUrl());
            build = new BuildSettings(
                    build.rootDirectory(),
                    build.installCommand(),
                    build.buildCommand(),
                    build.outputDirectory(),
                    project.build().env(),
                    build.cache());
        } else {
            url = policy.check(earlier.repoUrl());
        }
        return accept(
                new DeploymentOrder(url, earlier.ref(), projectName.orElse(null), build, null, earlier.preview()));
    }

    /** Settings that choose what runs in a build, or what of it is published: not its variables or its cache. */
    private static boolean changesWhatRuns(BuildSettings requested) {
        return requested.rootDirectory() != null
                || requested.installCommand() != null
                || requested.buildCommand() != null
                || requested.outputDirectory() != null;
    }

    private static boolean sameRepository(Project project, RepositoryUrl url) {
        Optional<RepositoryKey> own = RepositoryKey.of(project.repoUrl());
        return own.isPresent() && own.equals(RepositoryKey.of(url.withoutCredentials()));
    }

    public Deployment accept(DeploymentOrder order) {
        long waiting = queue.length();
        if (waiting >= queueSettings.maxLength()) {
            throw new QueueFullException(waiting, queueSettings.retryAfter());
        }
        if (fetches.getQueue().remainingCapacity() == 0) {
            throw new ServiceBusyException(
                    "too many repositories are being fetched; try again shortly", RETRY_AFTER_BUSY);
        }
        DeploymentId id = DeploymentId.random();
        Deployment deployment = Deployment.accepted(
                        id,
                        order.repository().withoutCredentials(),
                        order.ref(),
                        order.project() == null ? null : order.project().value(),
                        order.build(),
                        clock.instant())
                .withSite(order.preview(), siteUrls.of(id));
        // One step: the record, its fetch lease and its place in the project's history. Should the answer be lost
        // (a timeout after Redis ran it), the lease lapses unrenewed and the sweep fails the deployment.
        transitions.accept(deployment, leases.lease());
        leases.hold(deployment.id());
        try {
            fetches.execute(() -> uploader.fetchAndQueue(deployment.id(), order));
        } catch (RejectedExecutionException e) {
            leases.release(deployment.id());
            transitions.failFetch(deployment.id(), "the service was too busy to fetch the repository");
            throw new ServiceBusyException(
                    "too many repositories are being fetched; try again shortly", RETRY_AFTER_BUSY);
        }
        log.info("Accepted deployment {} of {}", deployment.id(), order.repository());
        return deployment;
    }

    /**
     * Lets fetches in flight finish for a while, then interrupts them; a deployment left {@code cloning} is
     * failed by the lapse of its fetch lease.
     */
    @Override
    public void close() throws InterruptedException {
        fetches.shutdown();
        if (!fetches.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn(
                    "Fetches still running at shutdown are interrupted: {}",
                    fetches.shutdownNow().size());
        }
    }
}
