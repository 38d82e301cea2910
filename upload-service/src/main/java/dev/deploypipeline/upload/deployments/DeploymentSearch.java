package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.upload.problems.InvalidRequestException;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * The newest deployments that match a filter, for {@code GET /deployments?project=&branch=&state=}: a project's
 * are read from its history, the rest from every deployment, newest first, looking at no more than
 * {@link #SCANNED} of them, so a filter that matches little answers promptly with what it found.
 */
@Component
class DeploymentSearch {

    static final int SCANNED = 1000;

    private final DeploymentStore deployments;
    private final ProjectStore projects;

    DeploymentSearch(DeploymentStore deployments, ProjectStore projects) {
        this.deployments = deployments;
        this.projects = projects;
    }

    /**
     * @param project a project's name, or {@code null} for any
     * @param branch a branch (or tag) as the deployment's {@code branch} shows it, or {@code null} for any
     * @param state a state's word, or {@code null} for any
     */
    List<Deployment> newest(int limit, String project, String branch, String state) {
        Optional<DeploymentState> wanted = Optional.ofNullable(blankToNull(state))
                .map(word -> DeploymentState.fromWord(word)
                        .orElseThrow(() -> new InvalidRequestException(
                                "state must be one of cloning, " + "uploaded, building, deployed, failed, cancelled")));
        String onBranch = blankToNull(branch);
        Predicate<Deployment> matches =
                deployment -> wanted.map(deployment.status()::equals).orElse(true)
                        && (onBranch == null || onBranch.equals(DeploymentView.branchOf(deployment.ref())));
        Stream<Deployment> candidates = blankToNull(project) == null
                ? deployments.newest(wanted.isEmpty() && onBranch == null ? limit : SCANNED).stream()
                : projects.history(new ProjectName(project), SCANNED).stream()
                        .map(deployments::find)
                        .flatMap(Optional::stream);
        return candidates.filter(matches).limit(limit).toList();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
