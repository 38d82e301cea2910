package dev.deploypipeline.upload.schedules;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.threads.NamedThreads;
import dev.deploypipeline.upload.deployments.DeploymentIntake;
import dev.deploypipeline.upload.deployments.DeploymentOrder;
import dev.deploypipeline.upload.git.RepositoryUrlPolicy;
import dev.deploypipeline.upload.previews.Previews;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deploys each project's branch when its schedule says so. Every upload-service polls the {@code schedules} sorted
 * set every {@code SCHEDULE_POLL_INTERVAL}; for a due run, the one whose claim moves the next run on (one script)
 * deploys, so a run fires once however many services poll. The next run is counted from now, so a run that came due
 * while every service was down fires once at start, not once per missed time. A run that finds a deployment of the
 * same branch still waiting (fetching, or queued and not taken by a builder yet) joins it instead of queueing
 * another.
 */
@Component
class ScheduledRebuilds implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScheduledRebuilds.class);
    private static final int DUE_PER_POLL = 100;
    private static final int LOOK_BACK = 20;
    private static final Set<DeploymentState> WAITING = EnumSet.of(DeploymentState.CLONING, DeploymentState.UPLOADED);

    private final ScheduleStore schedules;
    private final ProjectStore projects;
    private final DeploymentStore deployments;
    private final DeploymentIntake intake;
    private final RepositoryUrlPolicy policy;
    private final Clock clock;
    private final ScheduledExecutorService poller = NamedThreads.scheduler("schedules");

    ScheduledRebuilds(
            ScheduleStore schedules,
            ProjectStore projects,
            DeploymentStore deployments,
            DeploymentIntake intake,
            RepositoryUrlPolicy policy,
            Clock clock,
            ScheduleSettings settings) {
        this.schedules = schedules;
        this.projects = projects;
        this.deployments = deployments;
        this.intake = intake;
        this.policy = policy;
        this.clock = clock;
        NamedThreads.repeat(poller, settings.pollInterval(), "Looking for due schedules", this::pollQuietly);
    }

    /** A run this service claimed: the deployment it started or joined, or empty when it could start none. */
    record Run(ProjectName project, Optional<DeploymentId> deployment, boolean joined) {}

    private void pollQuietly() {
        try {
            runDue();
        } catch (RuntimeException e) {
            log.warn("Could not look for due schedules: {}", e.toString());
        }
    }

    /** Claims and runs every run due now; returns those this service ran. */
    List<Run> runDue() {
        Instant now = clock.instant();
        List<Run> ran = new ArrayList<>();
        for (ScheduleStore.Due due : schedules.due(now, DUE_PER_POLL)) {
            Optional<CronSchedule> schedule = schedules.find(due.project());
            Optional<Project> project = projects.find(due.project());
            Optional<Instant> next = schedule.flatMap(s -> s.nextAfter(now));
            if (project.isEmpty() || next.isEmpty()) {
                log.info(
                        "Schedule of {} removed: {}",
                        due.project(),
                        project.isEmpty() ? "no such project" : "no next run");
                schedules.remove(due.project());
                continue;
            }
            if (schedules.claim(due, now, next.get())) {
                ran.add(run(project.get()));
            }
        }
        return ran;
    }

    private Run run(Project project) {
        Optional<Deployment> waiting = waitingOf(project);
        if (waiting.isPresent()) {
            log.info(
                    "Scheduled run of {} joins deployment {}, which waits already",
                    project.name(),
                    waiting.get().id());
            schedules.recordRun(project.name(), "joined " + waiting.get().id());
            return new Run(project.name(), Optional.of(waiting.get().id()), true);
        }
        try {
            Deployment deployment = intake.accept(new DeploymentOrder(
                    policy.check(project.repoUrl()), project.branch(), project.name(), project.build(), null));
            log.info("Scheduled run of {} deploys it as {}", project.name(), deployment.id());
            schedules.recordRun(project.name(), "deployed " + deployment.id());
            return new Run(project.name(), Optional.of(deployment.id()), false);
        } catch (RuntimeException e) {
            log.warn("Scheduled run of {} could not deploy: {}", project.name(), e.getMessage());
            schedules.recordRun(project.name(), "failed: " + e.getMessage());
            return new Run(project.name(), Optional.empty(), false);
        }
    }

    /** The newest deployment of the project's branch that waits to be built, if one does. */
    private Optional<Deployment> waitingOf(Project project) {
        return projects.history(project.name(), LOOK_BACK).stream()
                .map(deployments::find)
                .flatMap(Optional::stream)
                .filter(deployment -> WAITING.contains(deployment.status()))
                .filter(deployment -> Previews.sameBranch(deployment.ref(), project.branch()))
                .findFirst();
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
