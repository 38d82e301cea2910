package dev.deploypipeline.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The upload-service's REST API as a user's script calls it. */
final class PipelineApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String token;

    PipelineApi(String baseUrl) {
        this(baseUrl, null);
    }

    /** With {@code token} as the bearer of every call, for a service started with {@code API_TOKEN}. */
    PipelineApi(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** {@code POST /deploy}; returns the new id. */
    String deploy(String repoUrl) {
        return deploy(JSON.createObjectNode().put("repoUrl", repoUrl));
    }

    String deploy(String repoUrl, String ref) {
        return deploy(JSON.createObjectNode().put("repoUrl", repoUrl).put("ref", ref));
    }

    /** {@code POST /projects}: a named site built from {@code repoUrl}. */
    void createProject(String name, String repoUrl) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + "/projects"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode()
                        .put("name", name)
                        .put("repoUrl", repoUrl)
                        .toString())));
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(
                    "POST /projects answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** {@code PATCH /projects/{name}}: a JSON merge patch of its settings. */
    void patchProject(String name, String patch) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + "/projects/" + name))
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(patch)));
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "PATCH /projects/" + name + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** {@code POST /deploy} of a project's branch: its preview moves to the deployment once it is deployed. */
    String deployPreview(String project, String branch) {
        return deploy(JSON.createObjectNode().put("project", project).put("branch", branch));
    }

    /** {@code POST /projects/{name}/notifications}: a target told of the project's deployments; returns its id. */
    String addNotificationTarget(String project, String type, String url) {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(URI.create(baseUrl + "/projects/" + project + "/notifications"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.createObjectNode()
                                .put("type", type)
                                .put("url", url)
                                .toString())));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("POST /projects/" + project + "/notifications answered "
                    + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).get("id").asString();
    }

    /** {@code POST /deploy} of a project: its site moves to the deployment once it is deployed. */
    String deployProject(String project) {
        return deploy(JSON.createObjectNode().put("project", project));
    }

    String deploy(ObjectNode body) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + "/deploy"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        if (response.statusCode() != 202) {
            throw new IllegalStateException("POST /deploy answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).get("id").asString();
    }

    /** {@code POST /deploy} that may be refused; returns the status code. */
    int tryDeploy(String repoUrl) {
        ObjectNode body = JSON.createObjectNode().put("repoUrl", repoUrl);
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/deploy"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())))
                .statusCode();
    }

    /** {@code POST /deployments/{id}/cancel}; returns the status code. */
    int cancel(String id) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/deployments/" + id + "/cancel"))
                        .POST(HttpRequest.BodyPublishers.noBody()))
                .statusCode();
    }

    /** {@code POST /projects/{name}/rollback}; returns the status code. */
    int rollback(String project, String id) {
        ObjectNode body = JSON.createObjectNode().put("id", id);
        return send(HttpRequest.newBuilder(URI.create(baseUrl + "/projects/" + project + "/rollback"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())))
                .statusCode();
    }

    /** Any {@code POST} with a JSON body, answered as it is. */
    HttpResponse<String> post(String path, ObjectNode body) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    JsonNode deployment(String id) {
        return JSON.readTree(send(HttpRequest.newBuilder(URI.create(baseUrl + "/deployments/" + id))
                        .GET())
                .body());
    }

    String status(String id) {
        return deployment(id).get("status").asString();
    }

    /**
     * Follows the log of {@code id} ({@code GET /deployments/{id}/logs?follow=true}, server-sent events) until a
     * line holds {@code text}, and returns that line; fails when none did within {@code within}.
     */
    String followLogUntil(String id, String text, Duration within) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(baseUrl + "/deployments/" + id + "/logs?follow=true"))
                .header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("following the log of " + id + " answered " + response.statusCode()
                            + ": " + new String(body.readAllBytes(), StandardCharsets.UTF_8));
                }
                Future<Optional<String>> line =
                        reader.submit(() -> new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))
                                .lines()
                                .filter(candidate -> candidate.contains(text))
                                .findFirst());
                return line.get(within.toMillis(), TimeUnit.MILLISECONDS)
                        .orElseThrow(() -> new IllegalStateException(
                                "the log of " + id + " ended without a line holding '" + text + "'"));
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("no line of the log of " + id + " held '" + text + "' within " + within);
        } catch (IOException | ExecutionException e) {
            throw new IllegalStateException("could not follow the log of " + id + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            reader.shutdownNow();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("the upload-service did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
