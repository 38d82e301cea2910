package dev.deploypipeline.upload.webhook;

/** The webhook is off, as {@code GITHUB_WEBHOOK_SECRET} is unset: a 404. */
public class WebhookDisabledException extends RuntimeException {

    WebhookDisabledException() {
        super("the GitHub webhook is off: GITHUB_WEBHOOK_SECRET is not set");
    }
}
