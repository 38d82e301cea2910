package dev.deploypipeline.upload.webhook;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.upload.deployments.DeploymentIntake;
import dev.deploypipeline.upload.deployments.DeploymentOrder;
import dev.deploypipeline.upload.git.RepositoryKey;
import dev.deploypipeline.upload.git.RepositoryUrlPolicy;
import dev.deploypipeline.upload.problems.InvalidRequestException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deploys a push to every project that builds the pushed branch of the pushed repository, and replaces
 * their deployments still waiting. The fetch runs in the background, so the answer comes at once.
 */
@Component
class PushDeployer {

    private static final Logger log = LoggerFactory.getLogger(PushDeployer.class);

    private final ProjectStore projects;
    private final DeploymentIntake intake;
    private final RepositoryUrlPolicy policy;
    private final Superseder superseder;
    private final DeliveryLedger ledger;

    PushDeployer(
            ProjectStore projects,
            DeploymentIntake intake,
            RepositoryUrlPolicy policy,
            Superseder superseder,
            DeliveryLedger ledger) {
        this.projects = projects;
        this.intake = intake;
        this.policy = policy;
        this.superseder = superseder;
        this.ledger = ledger;
    }

    WebhookAnswer deploy(PushEvent push) {
        if (push.repository() == null || !push.hasCommit()) {
            throw new InvalidRequestException("the push payload has no repository or no commit ('after')");
        }
        Optional<String> branch = push.branch();
        if (branch.isEmpty() || push.isDeletion()) {
            return WebhookAnswer.message("ignored: " + (push.isDeletion() ? "a deleted branch" : "not a branch push"));
        }
        List<RepositoryKey> pushed = pushedRepository(push);
        List<Project> building = projectsBuilding(pushed, push, branch.get());
        if (building.isEmpty()) {
            return WebhookAnswer.message("ignored: no project builds branch " + branch.get() + " of this repository");
        }
        RepositoryKey repository = pushed.get(0);
        if (!ledger.firstTime(repository, push)) {
            return WebhookAnswer.message("ignored: this push of " + push.after() + " to branch " + branch.get()
                    + " was deployed already (a replayed payload)");
        }
        try {
            List<String> ids = building.stream()
                    .map(project -> deploy(project, branch.get(), push.after()))
                    .toList();
            return WebhookAnswer.deployments(ids, "deploying " + push.after() + " of branch " + branch.get());
        } catch (RuntimeException e) {
            ledger.forget(repository, push);
            throw e;
        }
    }

    private String deploy(Project project, String branch, String commit) {
        Deployment deployment = intake.accept(
                new DeploymentOrder(policy.check(project.repoUrl()), branch, project.name(), project.build(), commit));
        superseder.cancelOlder(project.name(), deployment);
        log.info("Push of {} to {} deploys project {} as {}", commit, branch, project.name(), deployment.id());
        return deployment.id().value();
    }

    /** The repository as the payload names it: its clone URL, then its page's (the same, unless one is missing). */
    private static List<RepositoryKey> pushedRepository(PushEvent push) {
        return Stream.of(push.repository().cloneUrl(), push.repository().htmlUrl())
                .map(RepositoryKey::of)
                .flatMap(Optional::stream)
                .toList();
    }

    private List<Project> projectsBuilding(List<RepositoryKey> pushed, PushEvent push, String branch) {
        return projects.names().stream()
                .map(projects::find)
                .flatMap(Optional::stream)
                .filter(project -> RepositoryKey.of(project.repoUrl())
                        .filter(pushed::contains)
                        .isPresent())
                .filter(project -> Objects.equals(
                        branch,
                        project.branch() != null
                                ? project.branch()
                                : push.repository().defaultBranch()))
                .toList();
    }
}
