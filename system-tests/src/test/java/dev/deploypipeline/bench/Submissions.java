package dev.deploypipeline.bench;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deployments submitted as a user does ({@code POST /deploy}) and their records read back once they have ended:
 * their times are the services' own (created, uploaded, building, finished), so no poll's interval is measured.
 */
final class Submissions {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([a-z0-9]+)\"");
    private static final Set<DeploymentState> ENDED =
            EnumSet.of(DeploymentState.DEPLOYED, DeploymentState.FAILED, DeploymentState.CANCELLED);

    private final String api;
    private final DeploymentStore store;

    Submissions(String api, DeploymentStore store) {
        this.api = api;
        this.store = store;
    }

    DeploymentId submit(String repoUrl) {
        String body = "{\"repoUrl\": \"" + repoUrl + "\"}";
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(api + "/deploy"))
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher id = ID.matcher(response.body());
            if (response.statusCode() != 202 || !id.find()) {
                throw new IllegalStateException(
                        "POST /deploy answered " + response.statusCode() + ": " + response.body());
            }
            return new DeploymentId(id.group(1));
        } catch (IOException e) {
            throw new IllegalStateException("upload-service did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Its record once it has ended; a deployment that did not end {@code deployed} stops the benchmark. */
    Deployment awaitDeployed(DeploymentId id, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            Deployment deployment = store.find(id).orElseThrow();
            if (ENDED.contains(deployment.status())) {
                if (deployment.status() != DeploymentState.DEPLOYED) {
                    throw new IllegalStateException(
                            "deployment " + id + " ended " + deployment.status() + ": " + deployment.error());
                }
                return deployment;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("deployment " + id + " did not end within " + within);
            }
            BenchService.pause(Duration.ofMillis(10));
        }
    }

    /**
     * Returns as soon as the deployment is past {@code CLONING} (its sources stored), looking every millisecond:
     * for a figure read at that moment, not for a time.
     */
    void awaitFetched(DeploymentId id, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (store.state(id).orElseThrow() == DeploymentState.CLONING) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("deployment " + id + " was not fetched within " + within);
            }
            BenchService.pause(Duration.ofMillis(1));
        }
    }

    /** Submits and waits: its record once deployed. */
    Deployment deploy(String repoUrl, Duration within) {
        return awaitDeployed(submit(repoUrl), within);
    }

    static Duration total(Deployment deployment) {
        return Duration.between(deployment.createdAt(), deployment.finishedAt());
    }

    static Duration fetch(Deployment deployment) {
        return Duration.between(deployment.createdAt(), deployment.uploadedAt());
    }

    static Duration queue(Deployment deployment) {
        return Duration.between(deployment.uploadedAt(), deployment.buildStartedAt());
    }

    static Duration publish(Deployment deployment) {
        return Duration.between(deployment.buildStartedAt(), deployment.finishedAt());
    }
}
