package dev.deploypipeline.upload.projects;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.project.PreviewAlias;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.upload.access.Caller;
import dev.deploypipeline.upload.access.Requires;
import dev.deploypipeline.upload.access.Scope;
import dev.deploypipeline.upload.deployments.SiteUrls;
import dev.deploypipeline.upload.git.RepositoryUrlPolicy;
import dev.deploypipeline.upload.previews.Previews;
import dev.deploypipeline.upload.problems.InvalidRequestException;
import dev.deploypipeline.upload.problems.ProjectNotFoundException;
import dev.deploypipeline.upload.retention.ProjectRetention;
import dev.deploypipeline.upload.schedules.CronSchedule;
import dev.deploypipeline.upload.schedules.ProjectSchedules;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /projects} creates (201) or replaces (200) a project, {@code PATCH /projects/{name}} changes some of
 * its settings (a JSON merge patch), {@code GET /projects/{name}} shows it, with its variables' names only, {@code GET /projects} lists them all.
 */
@RestController
class ProjectController {

    private static final Logger log = LoggerFactory.getLogger(ProjectController.class);
    private static final String MERGE_PATCH = "application/merge-patch+json";

    private final ProjectStore projects;
    private final RepositoryUrlPolicy policy;
    private final Clock clock;
    private final JsonMapper json;
    private final SiteUrls site;
    private final ProjectSchedules schedules;
    private final ProjectRetention retention;
    private final Previews previews;

    ProjectController(
            ProjectStore projects,
            RepositoryUrlPolicy policy,
            Clock clock,
            JsonMapper json,
            SiteUrls site,
            ProjectSchedules schedules,
            ProjectRetention retention,
            Previews previews) {
        this.site = site;
        this.schedules = schedules;
        this.retention = retention;
        this.previews = previews;
        this.projects = projects;
        this.policy = policy;
        this.clock = clock;
        this.json = json;
    }

    @Requires(Scope.ADMIN)
    @PostMapping("/projects")
    ResponseEntity<ProjectView> save(@RequestBody ProjectRequest request) {
        ProjectName name = new ProjectName(request.name());
        Optional<Project> existing = projects.find(name);
        if (existing.isEmpty() && PreviewAlias.looksLikePreview(name.value())) {
            throw new InvalidRequestException(
                    "a project's name may not hold '--', which is kept for previews ({branch}--{project})");
        }
        Project project =
                request.toProject(policy, existing.map(Project::createdAt).orElseGet(clock::instant));
        save(project, request);
        return ResponseEntity.status(existing.isPresent() ? HttpStatus.OK : HttpStatus.CREATED)
                .location(URI.create("/projects/" + name))
                .body(view(project));
    }

    /** Changes the settings the patch names, checked as {@code POST /projects} checks them; the name stays. */
    @Requires(Scope.ADMIN)
    @PatchMapping(
            value = "/projects/{name}",
            consumes = {MERGE_PATCH, MediaType.APPLICATION_JSON_VALUE})
    ProjectView patch(@PathVariable String name, @RequestBody JsonNode patch, Caller caller) {
        Project existing = existing(name);
        ProjectRequest changed = MergePatch.apply(
                ProjectRequest.of(existing, schedules.of(existing.name()), retention.chosen(existing.name())),
                patch,
                json);
        if (!existing.name().value().equals(changed.name())) {
            throw new InvalidRequestException("a project cannot be renamed: create one under the new name");
        }
        Project project = changed.toProject(policy, existing.createdAt());
        save(project, changed);
        log.info("{} changed {} of project {}", caller, patch.propertyNames(), name);
        return view(project);
    }

    /** Every project, oldest first, each with the deployment its site serves. */
    @Requires(Scope.READ)
    @GetMapping("/projects")
    List<ProjectView> list() {
        return projects.names().stream()
                .map(projects::find)
                .flatMap(Optional::stream)
                .map(this::view)
                .toList();
    }

    @Requires(Scope.READ)
    @GetMapping("/projects/{name}")
    ProjectView project(@PathVariable String name) {
        return view(existing(name));
    }

    /** Every setting is checked before any is saved, so a 400 changes nothing. */
    private void save(Project project, ProjectRequest request) {
        Optional<CronSchedule> schedule = schedules.check(request.schedule(), request.timeZone());
        Optional<Integer> keep = ProjectRetention.check(request.keep());
        projects.save(project);
        schedules.set(project.name(), schedule);
        retention.set(project.name(), keep);
    }

    private Project existing(String name) {
        ProjectName projectName = new ProjectName(name);
        return projects.find(projectName).orElseThrow(() -> new ProjectNotFoundException(projectName));
    }

    private ProjectView view(Project project) {
        return ProjectView.of(
                project,
                projects.aliasTarget(project.name()).map(DeploymentId::value).orElse(null),
                site.of(project.name()),
                previews.of(project.name(), label -> site.of(new ProjectName(label))),
                projects.pin(project.name()).map(DeploymentId::value).orElse(null),
                schedules.of(project.name()),
                schedules.nextRun(project.name()).orElse(null),
                retention.keep(project.name()));
    }
}
