package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.upload.access.Requires;
import dev.deploypipeline.upload.access.Scope;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code GET /events}: every move of every deployment, live, as server-sent events (event {@code deployment}). */
@RestController
class DeploymentEventsController {

    private final DeploymentEventFeed feed;

    DeploymentEventsController(DeploymentEventFeed feed) {
        this.feed = feed;
    }

    @Requires(Scope.READ)
    @GetMapping(value = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(
            @RequestHeader(value = "Last-Event-ID", required = false) Optional<String> lastEventId,
            HttpServletRequest request) {
        return feed.watch(lastEventId, request.getRemoteAddr());
    }
}
