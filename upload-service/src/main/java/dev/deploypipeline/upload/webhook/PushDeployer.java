package dev.deploypipeline.upload.webhook;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.upload.deployments.DeploymentIntake;
import dev.deploypipeline.upload.deployments.DeploymentOrder;
import dev.deploypipeline.upload.deployments.ServiceBusyException;
import dev.deploypipeline.upload.git.RepositoryKey;
import dev.deploypipeline.upload.git.RepositoryUrlPolicy;
import dev.deploypipeline.upload.previews.PreviewRefusedException;
import dev.deploypipeline.upload.previews.Previews;
import dev.deploypipeline.upload.previews.Previews.BranchPreview;
import dev.deploypipeline.upload.problems.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Deploys a push to every project that builds the pushed branch of the pushed repository (its site, or a preview of
 * the branch where the project's {@code previewBranches} allow it), and replaces their deployments of the branch
 * still waiting; a deleted branch's preview is removed and its deployments that have not ended are cancelled. The
 * fetch runs in the background, so the answer comes at once.
 */
@Component
class PushDeployer {

    private static final Logger log = LoggerFactory.getLogger(PushDeployer.class);

    private final ProjectStore projects;
    private final DeploymentIntake intake;
    private final RepositoryUrlPolicy policy;
    private final Superseder superseder;
    private final DeliveryLedger ledger;
    private final Previews previews;

    PushDeployer(
            ProjectStore projects,
            DeploymentIntake intake,
            RepositoryUrlPolicy policy,
            Superseder superseder,
            DeliveryLedger ledger,
            Previews previews) {
        this.projects = projects;
        this.intake = intake;
        this.policy = policy;
        this.superseder = superseder;
        this.ledger = ledger;
        this.previews = previews;
    }

    WebhookAnswer deploy(PushEvent unchecked) {
        PushEvent push = unchecked.checked();
        Optional<String> pushedBranch = push.branch();
        if (pushedBranch.isEmpty()) {
            return WebhookAnswer.message("ignored: not a branch push");
        }
        String branch = pushedBranch.get();
        List<RepositoryKey> pushed = pushedRepository(push);
        List<Project> ofRepository = projectsOf(pushed);
        if (push.isDeletion()) {
            return deleted(pushed, ofRepository, push, branch);
        }
        List<Project> building = ofRepository.stream()
                .filter(project -> mayBuild(project, push, branch))
                .toList();
        if (building.isEmpty()) {
            return WebhookAnswer.message("ignored: no project builds branch " + branch + " of this repository");
        }
        RepositoryKey repository = pushed.get(0);
        if (!ledger.firstTime(repository, push)) {
            return WebhookAnswer.message("ignored: this push of " + push.after() + " to branch " + branch
                    + " was deployed already (a replayed payload)");
        }
        try {
            List<String> ids = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            Optional<ServiceBusyException> busy = Optional.empty();
            for (Project project : building) {
                try {
                    ids.add(deploy(project, branch, push.after()));
                } catch (PreviewRefusedException | InvalidRequestException e) {
                    refused.add(project.name() + ": " + reasonOf(e));
                } catch (ServiceBusyException e) { // the queue is full: told, once another project's has started
                    refused.add(project.name() + ": " + e.getMessage());
                    busy = busy.or(() -> Optional.of(e));
                }
            }
            if (ids.isEmpty()) {
                if (busy.isPresent()) {
                    throw busy.get(); // nothing started: 429 or 503, forgotten below, so a redelivery deploys it all
                }
                ledger.forget(repository, push);
                return WebhookAnswer.message("ignored: " + String.join("; ", refused));
            }
            return WebhookAnswer.deployments(
                    ids,
                    "deploying " + push.after() + " of branch " + branch
                            + (refused.isEmpty() ? "" : "; not " + String.join("; ", refused)));
        } catch (RuntimeException e) {
            ledger.forget(repository, push);
            throw e;
        }
    }

    /**
     * A deleted branch: its previews are removed and its deployments that have not ended are cancelled, once; a
     * replay of the deletion (a captured payload under a new delivery id) does nothing.
     */
    private WebhookAnswer deleted(
            List<RepositoryKey> pushed, List<Project> ofRepository, PushEvent push, String branch) {
        if (ofRepository.isEmpty()) {
            return removeAndCancel(ofRepository, branch); // nothing to do, and nothing to remember
        }
        RepositoryKey repository = pushed.get(0);
        if (!ledger.firstTime(repository, push)) {
            return WebhookAnswer.message(
                    "ignored: this deletion of branch " + branch + " was handled already (a replayed payload)");
        }
        try {
            return removeAndCancel(ofRepository, branch);
        } catch (RuntimeException e) {
            ledger.forget(repository, push);
            throw e;
        }
    }

    private WebhookAnswer removeAndCancel(List<Project> ofRepository, String branch) {
        long removed = ofRepository.stream()
                .filter(project -> previews.remove(project.name(), branch))
                .count();
        int cancelled = ofRepository.stream()
                .mapToInt(project -> superseder.cancelDeleted(project.name(), branch))
                .sum();
        if (removed == 0 && cancelled == 0) {
            return WebhookAnswer.message("ignored: a deleted branch with no preview and no deployment under way");
        }
        List<String> done = new ArrayList<>();
        if (removed > 0) {
            done.add("removed the preview of " + branch);
        }
        if (cancelled > 0) {
            done.add("cancelled " + cancelled + (cancelled == 1 ? " deployment" : " deployments") + " of branch "
                    + branch);
        }
        return WebhookAnswer.message(String.join("; ", done));
    }

    /**
     * A project with a branch is decided at once: its site, or the preview claimed. One that follows the repository's
     * default branch is decided as {@code POST /deploy} decides it, once fetched, by the branch the git server's HEAD
     * names: the payload's {@code default_branch} is whatever its signer wrote.
     */
    private String deploy(Project project, String branch, String commit) {
        BranchPreview preview = previews.forBranch(project, branch);
        Deployment deployment = intake.accept(new DeploymentOrder(
                policy.check(project.repoUrl()),
                branch,
                project.name(),
                project.build(),
                commit,
                preview.label(),
                preview.tentative()));
        superseder.cancelOlder(project.name(), deployment);
        log.info(
                "Push of {} to {} deploys {} of project {} as {}",
                commit,
                branch,
                preview.tentative() != null
                        ? "the site or a preview, as the repository's HEAD decides,"
                        : preview.label() != null ? "preview " + preview.label() : "the site",
                project.name(),
                deployment.id());
        return deployment.id().value();
    }

    private static String reasonOf(RuntimeException e) {
        return e instanceof PreviewRefusedException refused && refused.getBody().getDetail() != null
                ? refused.getBody().getDetail()
                : e.getMessage();
    }

    /**
     * Whether the push may build something of the project: its own branch or one {@code previewBranches} allows; for
     * a project with no branch, also the one the payload calls the repository's default. That is only a hint of
     * which pushes to fetch: what such a push builds, the fetch decides. A project stored before its branch was kept
     * short may name it {@code refs/heads/main}.
     */
    private static boolean mayBuild(Project project, PushEvent push, String branch) {
        String production =
                project.branch() != null ? project.branch() : push.repository().defaultBranch();
        return (production != null && Previews.sameBranch(production, branch))
                || project.previewBranches().matches(branch);
    }

    /** The repository as the payload names it: its clone URL, then its page's (the same, unless one is missing). */
    private static List<RepositoryKey> pushedRepository(PushEvent push) {
        return Stream.of(push.repository().cloneUrl(), push.repository().htmlUrl())
                .map(RepositoryKey::of)
                .flatMap(Optional::stream)
                .toList();
    }

    private List<Project> projectsOf(List<RepositoryKey> pushed) {
        return projects.names().stream()
                .map(projects::find)
                .flatMap(Optional::stream)
                .filter(project -> RepositoryKey.of(project.repoUrl())
                        .filter(pushed::contains)
                        .isPresent())
                .toList();
    }
}
