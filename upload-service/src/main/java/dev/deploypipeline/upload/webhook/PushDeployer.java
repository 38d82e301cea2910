package dev.deploypipeline.upload.webhook;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.upload.deployments.DeploymentIntake;
import dev.deploypipeline.upload.deployments.DeploymentOrder;
import dev.deploypipeline.upload.deployments.InvalidRequestException;
import dev.deploypipeline.upload.git.RepositoryKey;
import dev.deploypipeline.upload.git.RepositoryUrlPolicy;
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

    PushDeployer(ProjectStore projects, DeploymentIntake intake, RepositoryUrlPolicy policy, Superseder superseder) {
        this.projects = projects;
        this.intake = intake;
        this.policy = policy;
        this.superseder = superseder;
    }

    WebhookAnswer deploy(PushEvent push) {
        if (push.repository() == null || !push.hasCommit()) {
            throw new InvalidRequestException("the push payload has no repository or no commit ('after')");
        }
        Optional<String> branch = push.branch();
        if (branch.isEmpty() || push.isDeletion()) {
            return WebhookAnswer.message("ignored: " + (push.isDeletion() ? "a deleted branch" : "not a branch push"));
        }
        List<Project> building = projectsBuilding(push, branch.get());
        if (building.isEmpty()) {
            return WebhookAnswer.message("ignored: no project builds branch " + branch.get() + " of this repository");
        }
        List<String> ids = building.stream().map(project -> deploy(project, branch.get(), push.after())).toList();
        return WebhookAnswer.deployments(ids, "deploying " + push.after() + " of branch " + branch.get());
    }

    private String deploy(Project project, String branch, String commit) {
        Deployment deployment = intake.accept(new DeploymentOrder(policy.check(project.repoUrl()), branch,
                project.name(), project.build(), commit));
        superseder.cancelOlder(project.name(), deployment);
        log.info("Push of {} to {} deploys project {} as {}", commit, branch, project.name(), deployment.id());
        return deployment.id().value();
    }

    private List<Project> projectsBuilding(PushEvent push, String branch) {
        List<RepositoryKey> pushed = Stream.of(push.repository().cloneUrl(), push.repository().htmlUrl())
                .map(RepositoryKey::of)
                .flatMap(Optional::stream)
                .toList();
        return projects.names().stream()
                .map(projects::find)
                .flatMap(Optional::stream)
                .filter(project -> RepositoryKey.of(project.repoUrl()).filter(pushed::contains).isPresent())
                .filter(project -> Objects.equals(branch,
                        project.branch() != null ? project.branch() : push.repository().defaultBranch()))
                .toList();
    }
}
