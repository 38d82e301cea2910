package dev.deploypipeline.upload.notifications;

import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.upload.access.Caller;
import dev.deploypipeline.upload.access.Requires;
import dev.deploypipeline.upload.access.Scope;
import dev.deploypipeline.upload.problems.InvalidRequestException;
import dev.deploypipeline.upload.problems.ProjectNotFoundException;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A project's notification targets: {@code POST /projects/{name}/notifications} adds one (201 {@code {"id"}}, and
 * the secret made for a webhook given none, shown this once), {@code GET} lists them without secrets or tokens,
 * {@code DELETE …/{id}} removes one (204), and {@code GET …/deliveries} lists the newest deliveries with their last
 * answer. Changing targets is an admin's, as they carry secrets; reading them is anyone's who may read.
 */
@RestController
class NotificationController {

    private static final Logger log = LoggerFactory.getLogger(NotificationController.class);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    static final int MAX_TARGETS = 20;

    private final ProjectStore projects;
    private final TargetStore targets;
    private final DeliveryQueue deliveries;
    private final NotificationAddresses addresses;
    private final Clock clock;

    NotificationController(
            ProjectStore projects,
            TargetStore targets,
            DeliveryQueue deliveries,
            NotificationAddresses addresses,
            Clock clock) {
        this.clock = clock;
        this.projects = projects;
        this.targets = targets;
        this.deliveries = deliveries;
        this.addresses = addresses;
    }

    @Requires(Scope.ADMIN)
    @PostMapping("/projects/{name}/notifications")
    ResponseEntity<Map<String, String>> add(
            @PathVariable String name, @RequestBody TargetRequest request, Caller caller) {
        Project project = existing(name);
        if (targets.of(name).size() >= MAX_TARGETS) {
            throw new InvalidRequestException("a project has at most " + MAX_TARGETS + " notification targets");
        }
        NotificationTarget target = request.toTarget(name, project.repoUrl(), addresses, clock.instant());
        targets.save(target);
        log.info(
                "{} added {} notification target {} to project {}",
                caller,
                target.type().word(),
                target.id(),
                name);
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("id", target.id());
        if (request.secretGenerated()) {
            answer.put("secret", target.secret());
        }
        return ResponseEntity.created(URI.create("/projects/" + name + "/notifications/" + target.id()))
                .body(answer);
    }

    @Requires(Scope.READ)
    @GetMapping("/projects/{name}/notifications")
    List<TargetView> list(@PathVariable String name) {
        existing(name);
        return targets.of(name).stream().map(TargetView::of).toList();
    }

    @Requires(Scope.ADMIN)
    @DeleteMapping("/projects/{name}/notifications/{id}")
    ResponseEntity<Void> remove(@PathVariable String name, @PathVariable String id, Caller caller) {
        existing(name);
        if (!ID.matcher(id).matches()) {
            throw new InvalidRequestException("a notification target's id is 16 hex digits");
        }
        if (!targets.remove(name, id)) {
            throw new TargetNotFoundException(name, id);
        }
        log.info("{} removed notification target {} of project {}", caller, id, name);
        return ResponseEntity.noContent().build();
    }

    @Requires(Scope.READ)
    @GetMapping("/projects/{name}/notifications/deliveries")
    List<DeliveryView> deliveries(@PathVariable String name, @RequestParam(defaultValue = "50") int limit) {
        existing(name);
        if (limit < 1 || limit > DeliveryQueue.KEPT_PER_PROJECT) {
            throw new InvalidRequestException("limit must be between 1 and " + DeliveryQueue.KEPT_PER_PROJECT);
        }
        return deliveries.newest(name, limit).stream().map(DeliveryView::of).toList();
    }

    private Project existing(String name) {
        ProjectName projectName = new ProjectName(name);
        return projects.find(projectName).orElseThrow(() -> new ProjectNotFoundException(projectName));
    }
}
