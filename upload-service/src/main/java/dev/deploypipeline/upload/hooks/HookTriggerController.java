package dev.deploypipeline.upload.hooks;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.upload.access.PublicEndpoint;
import dev.deploypipeline.upload.deployments.DeploymentIntake;
import dev.deploypipeline.upload.deployments.DeploymentOrder;
import dev.deploypipeline.upload.git.RepositoryUrlPolicy;
import java.net.URI;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /hooks/{secret}}: the secret is the only credential, so an unknown, malformed or revoked one is the
 * same 404; a known one deploys its project's branch with the project's settings ({@code 202 {"id"}}), within the
 * hook's rate limit (429). The body, if any, is not read.
 */
@RestController
class HookTriggerController {

    private static final Logger log = LoggerFactory.getLogger(HookTriggerController.class);
    private static final Pattern SECRET = Pattern.compile(HookController.SECRET_PREFIX + "[A-Za-z0-9_-]{43}");

    private final HookStore hooks;
    private final HookRateLimiter limiter;
    private final ProjectStore projects;
    private final DeploymentIntake intake;
    private final RepositoryUrlPolicy policy;

    HookTriggerController(
            HookStore hooks,
            HookRateLimiter limiter,
            ProjectStore projects,
            DeploymentIntake intake,
            RepositoryUrlPolicy policy) {
        this.hooks = hooks;
        this.limiter = limiter;
        this.projects = projects;
        this.intake = intake;
        this.policy = policy;
    }

    @PublicEndpoint("the hook's secret URL is its credential, made by an admin and revocable")
    @PostMapping("/hooks/{secret}")
    ResponseEntity<Map<String, String>> trigger(@PathVariable String secret) {
        if (!SECRET.matcher(secret).matches()) {
            throw new HookNotFoundException("no deploy hook at this address");
        }
        Hook hook = hooks.find(secret).orElseThrow(() -> new HookNotFoundException("no deploy hook at this address"));
        Project project = projects.find(hook.project())
                .orElseThrow(() -> new HookNotFoundException("the project of this deploy hook is gone"));
        limiter.admit(hook);
        Deployment deployment = intake.accept(new DeploymentOrder(
                policy.check(project.repoUrl()), project.branch(), project.name(), project.build(), null));
        log.info("Deploy hook {} deploys project {} as {}", hook.id(), project.name(), deployment.id());
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create("/deployments/" + deployment.id()))
                .body(Map.of("id", deployment.id().value()));
    }
}
