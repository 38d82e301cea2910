package dev.deploypipeline.upload;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Webhook deliveries as GitHub sends them: a JSON payload, its event and delivery id, and its signature. */
final class GitHubDeliveries {

    private final ApiClient api;
    private final String secret;

    GitHubDeliveries(ApiClient api, String secret) {
        this.api = api;
        this.secret = secret;
    }

    HttpResponse<String> push(String repositoryUrl, String branch, String commit) {
        return send(
                "push",
                UUID.randomUUID().toString(),
                ApiClient.json(pushPayload(repositoryUrl, branch, commit)),
                secret);
    }

    HttpResponse<String> send(String event, String delivery, String payload, String signingSecret) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri("/webhooks/github"))
                .header("Content-Type", "application/json")
                .header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", delivery)
                .POST(HttpRequest.BodyPublishers.ofString(payload));
        if (signingSecret != null) {
            request.header("X-Hub-Signature-256", signature(payload, signingSecret));
        }
        return api.send(request);
    }

    static Map<String, Object> pushPayload(String repositoryUrl, String branch, String commit) {
        return pushPayload(repositoryUrl, branch, "0".repeat(40), commit);
    }

    /** A push that moved {@code branch} from commit {@code before} to {@code after}. */
    static Map<String, Object> pushPayload(String repositoryUrl, String branch, String before, String after) {
        return Map.of(
                "ref",
                "refs/heads/" + branch,
                "before",
                before,
                "after",
                after,
                "repository",
                Map.of(
                        "clone_url",
                        repositoryUrl + ".git",
                        "html_url",
                        repositoryUrl,
                        "default_branch",
                        "main",
                        "full_name",
                        "acme/site"),
                "pusher",
                Map.of("name", "octocat"));
    }

    static String signature(String payload, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
