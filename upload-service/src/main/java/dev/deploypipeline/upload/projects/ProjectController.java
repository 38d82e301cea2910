package dev.deploypipeline.upload.projects;

import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.upload.git.RefName;
import dev.deploypipeline.upload.git.RepositoryUrlPolicy;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /projects} creates (201) or replaces (200) a project; {@code GET /projects/{name}} shows it.
 * The repository URL passes the same policy as a deployment's and is stored without credentials.
 */
@RestController
class ProjectController {

    private final ProjectStore projects;
    private final RepositoryUrlPolicy policy;
    private final Clock clock;

    ProjectController(ProjectStore projects, RepositoryUrlPolicy policy, Clock clock) {
        this.projects = projects;
        this.policy = policy;
        this.clock = clock;
    }

    @PostMapping("/projects")
    ResponseEntity<ProjectView> save(@RequestBody ProjectRequest request) {
        ProjectName name = new ProjectName(request.name());
        String repoUrl = policy.check(request.repoUrl()).withoutCredentials();
        String branch = RefName.checked(request.branch(), "branch");
        BuildSettings build = request.build().validated();
        Optional<Project> existing = projects.find(name);
        Project project = new Project(name, repoUrl, branch, build, Boolean.TRUE.equals(request.spaFallback()),
                existing.map(Project::createdAt).orElseGet(clock::instant));
        projects.save(project);
        return ResponseEntity.status(existing.isPresent() ? HttpStatus.OK : HttpStatus.CREATED)
                .location(URI.create("/projects/" + name))
                .body(view(project));
    }

    @GetMapping("/projects/{name}")
    ProjectView project(@PathVariable String name) {
        ProjectName projectName = new ProjectName(name);
        return view(projects.find(projectName).orElseThrow(() -> new ProjectNotFoundException(projectName)));
    }

    private ProjectView view(Project project) {
        return ProjectView.of(project, projects.aliasTarget(project.name()).map(DeploymentId::value).orElse(null));
    }
}
