package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.upload.access.Requires;
import dev.deploypipeline.upload.access.Scope;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** {@code GET /deployments/{id}/logs}: the build log as text, or followed live with {@code ?follow=true}. */
@RestController
class DeploymentLogsController {

    private static final MediaType TEXT = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);

    private final BuildLogReader reader;
    private final LogFollowers followers;

    DeploymentLogsController(BuildLogReader reader, LogFollowers followers) {
        this.reader = reader;
        this.followers = followers;
    }

    /** The whole log once the build has ended; while it runs, what it has printed so far. */
    @Requires(Scope.READ)
    @GetMapping("/deployments/{id}/logs")
    ResponseEntity<StreamingResponseBody> log(@PathVariable String id) {
        Deployment deployment = reader.deployment(new DeploymentId(id));
        return ResponseEntity.ok().contentType(TEXT).body(out -> reader.copy(deployment, out));
    }

    /** Server-sent events: each line as it comes, then {@code end} with the final state; 429 past the caps. */
    @Requires(Scope.READ)
    @GetMapping(value = "/deployments/{id}/logs", params = "follow=true", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter follow(
            @PathVariable String id,
            @RequestHeader(value = "Last-Event-ID", required = false) Optional<String> lastEventId,
            HttpServletRequest request) {
        return followers.follow(reader.deployment(new DeploymentId(id)), lastEventId, request.getRemoteAddr());
    }
}
