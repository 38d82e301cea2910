package dev.deploypipeline.upload.hooks;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A deploy hook as the API shows it: its secret URL only in the answer that made it.
 *
 * @param url {@code POST} it to deploy the project's branch; shown once
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record HookView(String id, String project, String name, Instant createdAt, String url) {

    static HookView listed(Hook hook) {
        return new HookView(hook.id(), hook.project().value(), hook.name(), hook.createdAt(), null);
    }

    static HookView made(Hook hook, String url) {
        return new HookView(hook.id(), hook.project().value(), hook.name(), hook.createdAt(), url);
    }
}
