package dev.deploypipeline.upload.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** What the webhook answers: the deployment started (or several, when several projects build the branch), and why. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record WebhookAnswer(String id, List<String> ids, String message) {

    static WebhookAnswer message(String message) {
        return new WebhookAnswer(null, List.of(), message);
    }

    static WebhookAnswer deployments(List<String> ids, String message) {
        return new WebhookAnswer(ids.get(0), ids.size() > 1 ? ids : List.of(), message);
    }
}
