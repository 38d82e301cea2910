package dev.deploypipeline.upload.tokens;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deploypipeline.upload.access.Caller;
import dev.deploypipeline.upload.access.Requires;
import dev.deploypipeline.upload.access.Scope;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /caller}: who the bearer token says is calling and what it allows, so a client (the dashboard) offers
 * only what the API would do for it. The API still decides each call.
 */
@RestController
class CallerController {

    @Requires(Scope.READ)
    @GetMapping("/caller")
    CallerView caller(Caller caller) {
        return new CallerView(
                caller.name(),
                caller.scope().orElseThrow().word(),
                caller.projects().isEmpty() ? null : List.copyOf(caller.projects()));
    }

    /**
     * The caller as the API shows it.
     *
     * @param name the token's name ({@code token {id} ({name})}, {@code API_TOKEN}), never its value
     * @param scope {@code read}, {@code deploy} or {@code admin}
     * @param projects the projects a deploy token may deploy; absent when it may deploy any
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CallerView(String name, String scope, List<String> projects) {}
}
