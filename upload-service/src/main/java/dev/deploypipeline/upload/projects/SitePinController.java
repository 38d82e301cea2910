package dev.deploypipeline.upload.projects;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.upload.access.Caller;
import dev.deploypipeline.upload.access.Requires;
import dev.deploypipeline.upload.access.Scope;
import dev.deploypipeline.upload.problems.DeploymentNotFoundException;
import dev.deploypipeline.upload.problems.InvalidRequestException;
import dev.deploypipeline.upload.problems.ProjectNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A rollback pins a project's site; {@code POST /projects/{name}/promote {"id"}} serves a deployed deployment of the
 * project at once and lifts the pin, and {@code DELETE /projects/{name}/pin} lifts it and leaves the site where it
 * is, so the next deployment deployed moves it again.
 */
@RestController
@RequestMapping("/projects/{name}")
class SitePinController {

    private static final Logger log = LoggerFactory.getLogger(SitePinController.class);

    private final ProjectStore projects;
    private final DeploymentStore deployments;

    SitePinController(ProjectStore projects, DeploymentStore deployments) {
        this.projects = projects;
        this.deployments = deployments;
    }

    @Requires(Scope.DEPLOY)
    @PostMapping("/promote")
    AliasView promote(@PathVariable String name, @RequestBody RollbackRequest request, Caller caller) {
        ProjectName project = existing(name, caller);
        if (request.id() == null || request.id().isBlank()) {
            throw new InvalidRequestException("id is required: the deployment to promote");
        }
        DeploymentId id = new DeploymentId(request.id());
        if (deployments.find(id).isEmpty()) {
            throw new DeploymentNotFoundException(id);
        }
        switch (projects.promoteTo(project, id)) {
            case NOT_THE_PROJECTS ->
                throw new RollbackRefusedException("deployment " + id + " is not one of project " + project + "'s");
            case NOT_DEPLOYED ->
                throw new RollbackRefusedException(
                        "deployment " + id + " is not deployed; only a deployed one can be promoted");
            case PROMOTED ->
                log.info("Promoted deployment {} of project {}; its site moves forward again", id, project);
        }
        return new AliasView(project.value(), id.value(), false);
    }

    @Requires(Scope.DEPLOY)
    @DeleteMapping("/pin")
    AliasView unpin(@PathVariable String name, Caller caller) {
        ProjectName project = existing(name, caller);
        if (projects.unpin(project)) {
            log.info("{} lifted the pin of project {}", caller, project);
        }
        return new AliasView(
                project.value(),
                projects.aliasTarget(project).map(DeploymentId::value).orElse(null),
                false);
    }

    private ProjectName existing(String name, Caller caller) {
        ProjectName project = new ProjectName(name);
        caller.requireProject(project);
        if (projects.find(project).isEmpty() && projects.history(project, 1).isEmpty()) {
            throw new ProjectNotFoundException(project);
        }
        return project;
    }
}
