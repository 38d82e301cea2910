package dev.deploypipeline.upload.notifications;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a delivery into the request its target understands, at the moment it is sent: a signed JSON event for a
 * webhook, a one-line message for Slack, a commit status for GitHub.
 */
@Component
class MessageComposer {

    static final String CONTEXT = "deploy-pipeline";

    private final JsonMapper json;
    private final URI githubApi;

    MessageComposer(JsonMapper json, NotifySettings settings) {
        this.json = json;
        String api = settings.githubApiUrl().toString();
        this.githubApi = URI.create(api.endsWith("/") ? api : api + "/");
    }

    OutgoingMessage compose(NotificationTarget target, Delivery delivery, Instant now) {
        JsonNode deployment = json.readTree(delivery.payload());
        return switch (target.type()) {
            case WEBHOOK -> webhook(target, delivery, deployment, now);
            case SLACK -> slack(target, delivery, deployment);
            case GITHUB -> github(target, delivery, deployment);
        };
    }

    /**
     * The event as JSON, with its delivery id and time inside the body, so the signature (HMAC-SHA256 of the body
     * with the target's secret) covers them too and a receiver can refuse a replayed or stale delivery.
     */
    private OutgoingMessage webhook(NotificationTarget target, Delivery delivery, JsonNode deployment, Instant now) {
        ObjectNode body = json.createObjectNode();
        body.put("id", delivery.id());
        body.put("event", delivery.event().word());
        body.put("timestamp", now.toString());
        body.set("deployment", deployment);
        String text = json.writeValueAsString(body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Deploy-Event", delivery.event().word());
        headers.put("X-Deploy-Delivery", delivery.id());
        headers.put("X-Deploy-Timestamp", Long.toString(now.getEpochSecond()));
        headers.put("X-Deploy-Signature", "sha256=" + hmac(target.secret(), text));
        return new OutgoingMessage(URI.create(target.url()), headers, text);
    }

    private OutgoingMessage slack(NotificationTarget target, Delivery delivery, JsonNode deployment) {
        ObjectNode body = json.createObjectNode();
        body.put("text", SlackLine.of(delivery.event(), deployment));
        return new OutgoingMessage(
                URI.create(target.url()), Map.of("Content-Type", "application/json"), json.writeValueAsString(body));
    }

    /** {@code POST /repos/{owner}/{repo}/statuses/{sha}}: where the site is, or its log while there is none. */
    private OutgoingMessage github(NotificationTarget target, Delivery delivery, JsonNode deployment) {
        String commit = deployment.path("commit").asString("");
        String state = switch (delivery.event()) {
            case SUCCEEDED, PROMOTED, ROLLED_BACK -> "success";
            case FAILED -> "failure";
            case CANCELLED -> "error";
            case CREATED, BUILDING -> "pending";
        };
        String description = switch (delivery.event()) {
            case CREATED -> "Waiting to build";
            case BUILDING -> "Building";
            case SUCCEEDED, PROMOTED, ROLLED_BACK -> "Deployed";
            case FAILED -> "Failed: " + deployment.path("error").asString("");
            case CANCELLED -> "Cancelled";
        };
        ObjectNode body = json.createObjectNode();
        body.put("state", state);
        body.put(
                "target_url",
                state.equals("success")
                        ? deployment.path("url").asString()
                        : deployment.path("link").asString());
        body.put("description", description.length() > 140 ? description.substring(0, 139) + "…" : description);
        body.put("context", CONTEXT);
        URI url = githubApi.resolve("repos/" + TargetRequest.ownerAndRepository(target.url()) + "/statuses/" + commit);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Accept", "application/vnd.github+json");
        headers.put("X-GitHub-Api-Version", "2022-11-28");
        headers.put("Authorization", "Bearer " + target.token());
        return new OutgoingMessage(url, headers, json.writeValueAsString(body));
    }

    static String hmac(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
