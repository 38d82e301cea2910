package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.queue.DeploymentQueue;
import dev.deploypipeline.upload.access.Caller;
import dev.deploypipeline.upload.access.Requires;
import dev.deploypipeline.upload.access.Scope;
import dev.deploypipeline.upload.problems.DeploymentNotFoundException;
import dev.deploypipeline.upload.problems.InvalidRequestException;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /deploy}, {@code POST /deployments/{id}/redeploy}, {@code GET /status}, {@code GET /deployments[/{id}]}
 * (newest first, filtered by project, branch and state).
 */
@RestController
class DeploymentController {

    private static final int MAX_LIMIT = 100;

    private final DeploymentIntake intake;
    private final DeploymentStore store;
    private final DeploymentQueue queue;
    private final SiteUrls site;
    private final DeploymentSearch search;

    DeploymentController(
            DeploymentIntake intake,
            DeploymentStore store,
            DeploymentQueue queue,
            SiteUrls site,
            DeploymentSearch search) {
        this.intake = intake;
        this.store = store;
        this.queue = queue;
        this.site = site;
        this.search = search;
    }

    @Requires(Scope.DEPLOY)
    @PostMapping("/deploy")
    ResponseEntity<StatusView> deploy(@RequestBody DeployRequest request, Caller caller) {
        return accepted(intake.accept(request, caller));
    }

    private static ResponseEntity<StatusView> accepted(Deployment deployment) {
        return ResponseEntity.accepted()
                .location(URI.create("/deployments/" + deployment.id()))
                .body(new StatusView(
                        deployment.id().value(), deployment.status().word()));
    }

    /** A new deployment of what this one deployed: the same repository, ref, project and build settings. */
    @Requires(Scope.DEPLOY)
    @PostMapping("/deployments/{id}/redeploy")
    ResponseEntity<StatusView> redeploy(@PathVariable String id, Caller caller) {
        DeploymentId deploymentId = new DeploymentId(id);
        Deployment earlier = store.find(deploymentId).orElseThrow(() -> new DeploymentNotFoundException(deploymentId));
        return accepted(intake.redeploy(earlier, caller));
    }

    @Requires(Scope.READ)
    @GetMapping("/status")
    StatusView status(@RequestParam String id) {
        DeploymentId deploymentId = new DeploymentId(id);
        DeploymentState state =
                store.state(deploymentId).orElseThrow(() -> new DeploymentNotFoundException(deploymentId));
        return new StatusView(id, state.word());
    }

    @Requires(Scope.READ)
    @GetMapping("/deployments/{id}")
    DeploymentView deployment(@PathVariable String id) {
        DeploymentId deploymentId = new DeploymentId(id);
        return view(store.find(deploymentId).orElseThrow(() -> new DeploymentNotFoundException(deploymentId)));
    }

    @Requires(Scope.READ)
    @GetMapping("/deployments")
    List<DeploymentView> deployments(
            @RequestParam(defaultValue = "20") int limit,
            @RequestParam(required = false) String project,
            @RequestParam(required = false) String branch,
            @RequestParam(required = false) String state) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidRequestException("limit must be between 1 and " + MAX_LIMIT);
        }
        return search.newest(limit, project, branch, state).stream()
                .map(this::view)
                .toList();
    }

    private DeploymentView view(Deployment deployment) {
        Long position = deployment.status() == DeploymentState.UPLOADED ? boxed(queue.position(deployment.id())) : null;
        String url = deployment.status() == DeploymentState.DEPLOYED ? site.of(deployment.id()) : null;
        return DeploymentView.of(deployment, position, url);
    }

    private static Long boxed(java.util.OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }
}
