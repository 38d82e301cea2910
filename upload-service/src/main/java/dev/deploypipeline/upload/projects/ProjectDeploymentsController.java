package dev.deploypipeline.upload.projects;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.upload.access.Caller;
import dev.deploypipeline.upload.access.Requires;
import dev.deploypipeline.upload.access.Scope;
import dev.deploypipeline.upload.problems.DeploymentNotFoundException;
import dev.deploypipeline.upload.problems.InvalidRequestException;
import dev.deploypipeline.upload.problems.ProjectNotFoundException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A project's history and its instant rollback: {@code GET /projects/{name}/deployments} (newest first,
 * with which one the site serves) and {@code POST /projects/{name}/rollback {"id"}}, which points the
 * project's alias at an earlier deployed deployment in one step, with no rebuild.
 */
@RestController
@RequestMapping("/projects/{name}")
class ProjectDeploymentsController {

    private static final Logger log = LoggerFactory.getLogger(ProjectDeploymentsController.class);
    private static final int MAX_LIMIT = 100;

    private final DeploymentStore deployments;
    private final ProjectStore projects;

    ProjectDeploymentsController(DeploymentStore deployments, ProjectStore projects) {
        this.deployments = deployments;
        this.projects = projects;
    }

    @Requires(Scope.READ)
    @GetMapping("/deployments")
    List<ProjectDeploymentView> deployments(@PathVariable String name, @RequestParam(defaultValue = "20") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException("limit must be between 1 and " + MAX_LIMIT);
        }
        ProjectName project = existing(name);
        Optional<DeploymentId> current = projects.aliasTarget(project);
        return projects.history(project, limit).stream()
                .map(deployments::find)
                .flatMap(Optional::stream)
                .map(deployment -> ProjectDeploymentView.of(deployment, current.equals(Optional.of(deployment.id()))))
                .toList();
    }

    @Requires(Scope.DEPLOY)
    @PostMapping("/rollback")
    AliasView rollback(@PathVariable String name, @RequestBody RollbackRequest request, Caller caller) {
        caller.requireProject(new ProjectName(name));
        ProjectName project = existing(name);
        if (request.id() == null || request.id().isBlank()) {
            throw new InvalidRequestException("id is required: the deployment to roll back to");
        }
        DeploymentId id = new DeploymentId(request.id());
        Deployment deployment = deployments.find(id).orElseThrow(() -> new DeploymentNotFoundException(id));
        if (deployment.status() != DeploymentState.DEPLOYED) {
            throw new RollbackRefusedException(
                    "deployment " + id + " is " + deployment.status() + "; only a deployed one can be served");
        }
        if (!projects.pointAliasAt(project, id)) {
            throw new RollbackRefusedException("deployment " + id + " is not one of project " + project + "'s");
        }
        log.info("Rolled project {} back to deployment {} and pinned it there", project, id);
        return new AliasView(project.value(), id.value(), true);
    }

    /** A project exists once it is saved or has a deployment. */
    private ProjectName existing(String name) {
        ProjectName project = new ProjectName(name);
        if (projects.find(project).isEmpty() && projects.history(project, 1).isEmpty()) {
            throw new ProjectNotFoundException(project);
        }
        return project;
    }
}
