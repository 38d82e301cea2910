package dev.deploypipeline.upload.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A project's site is built from the project's own repository: a deployment naming the project with another one
 * is refused, the same one spelled otherwise is fetched as the project spells it, and only changing the project
 * ({@code PATCH /projects/{name}}, a JSON merge patch) moves it.
 */
class ProjectOwnershipTest extends RunningService {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String OWN = "http://" + NO_GIT_SERVER + "/acme/victim.git";
    private static final String ELSEWHERE = "http://" + NO_GIT_SERVER + "/attacker/site.git";

    @BeforeEach
    void victim() throws Exception {
        HttpResponse<String> created = postJson("/projects", """
                {"name": "victim", "repoUrl": "%s", "branch": "main", "buildCommand": "npm run build",
                 "env": {"STRIPE_KEY": "sk_live_1", "API_URL": "https://api.example.com"}}""".formatted(OWN));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @Test
    void aDeploymentNamingTheProjectWithAnotherRepositoryIsRefusedAndCreatesNothing() throws Exception {
        HttpResponse<String> response = postJson("/deploy", """
                {"project": "victim", "repoUrl": "%s"}""".formatted(ELSEWHERE));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("detail").asString())
                .contains("project victim deploys " + OWN, "PATCH /projects/victim");
        assertThat(SERVERS.connector().shared().sync().hlen("status")).isZero();
        assertThat(SERVERS.connector().shared().sync().zcard("project:victim:deployments"))
                .isZero();
        assertThat(project().get("repoUrl").asString()).isEqualTo(OWN);
    }

    @Test
    void theProjectsOwnRepositoryIsAcceptedHoweverItIsSpelled() throws Exception {
        for (String spelling : List.of(OWN, "http://" + NO_GIT_SERVER + "/ACME/Victim", OWN.replace(".git", "/"))) {
            HttpResponse<String> response = postJson("/deploy", """
                    {"project": "victim", "repoUrl": "%s"}""".formatted(spelling));

            assertThat(response.statusCode())
                    .as(spelling + ": " + response.body())
                    .isEqualTo(202);
        }
    }

    @Test
    void theProjectsRepositorySpelledOtherwiseIsFetchedAsTheProjectSpellsItNeverOverAnotherSchemeOrPath()
            throws Exception {
        for (String spelling : List.of(
                "https://" + NO_GIT_SERVER + "/acme/victim", // another scheme
                "http://" + NO_GIT_SERVER + "/ACME/Victim")) { // another path, on a server whose paths may be cased
            HttpResponse<String> response = postJson("/deploy", """
                    {"project": "victim", "repoUrl": "%s"}""".formatted(spelling));
            assertThat(response.statusCode())
                    .as(spelling + ": " + response.body())
                    .isEqualTo(202);
            String id = JSON.readTree(response.body()).get("id").asString();

            assertThat(SERVERS.connector().shared().sync().hget("deployment:" + id, "repoUrl"))
                    .as(spelling)
                    .isEqualTo(OWN);
        }
    }

    @Test
    void aPatchChangesOnlyWhatItNamesAndMergesTheVariablesNameByName() throws Exception {
        String createdAt = project().get("createdAt").asString();

        HttpResponse<String> patched = patch("victim", """
                {"repoUrl": "%s", "buildCommand": null, "env": {"API_URL": null, "MODE": "production"}}""".formatted(ELSEWHERE), "application/merge-patch+json");

        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        JsonNode shown = project();
        assertThat(shown.get("repoUrl").asString()).isEqualTo(ELSEWHERE);
        assertThat(shown.get("branch").asString()).isEqualTo("main");
        assertThat(shown.has("buildCommand")).isFalse();
        assertThat(shown.get("env").toString()).isEqualTo("[\"MODE\",\"STRIPE_KEY\"]");
        assertThat(shown.get("createdAt").asString()).isEqualTo(createdAt);
        assertThat(patched.body() + shown).doesNotContain("sk_live_1").doesNotContain("production");
        assertThat(SERVERS.connector().shared().sync().hget("project:victim", "env.STRIPE_KEY"))
                .isEqualTo("sk_live_1");
        assertThat(postJson("/deploy", "{\"project\": \"victim\", \"repoUrl\": \"%s\"}".formatted(ELSEWHERE))
                        .statusCode())
                .isEqualTo(202);
        assertThat(postJson("/deploy", "{\"project\": \"victim\", \"repoUrl\": \"%s\"}".formatted(OWN))
                        .statusCode())
                .isEqualTo(409);
    }

    @Test
    void aPatchInPlainJsonIsTakenToo() throws Exception {
        HttpResponse<String> patched = patch("victim", "{\"spaFallback\": true}", "application/json");

        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(project().get("spaFallback").asBoolean()).isTrue();
    }

    @Test
    void aPatchThatCannotApplyIsRefusedNamingWhyAndChangesNothing() throws Exception {
        String before =
                SERVERS.connector().shared().sync().hgetall("project:victim").toString();

        for (String body : List.of(
                "{\"owner\": \"me\"}",
                "{\"name\": \"other\"}",
                "{\"repoUrl\": null}",
                "{\"repoUrl\": \"file:///etc/passwd\"}",
                "{\"env\": {\"LD_PRELOAD\": \"/tmp/x.so\"}}",
                "{\"env\": \"x\"}",
                "[1]",
                "{\"branch\": \"--upload-pack=x\"}",
                "{\"repoUrl\": ")) {
            HttpResponse<String> response = patch("victim", body, "application/merge-patch+json");

            assertThat(response.statusCode()).as(body + ": " + response.body()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("detail").asString())
                    .as(body)
                    .isNotBlank();
        }
        assertThat(patch("victim", "{}", "text/plain").statusCode()).isEqualTo(415);
        assertThat(patch("nobody", "{}", "application/merge-patch+json").statusCode())
                .isEqualTo(404);
        assertThat(SERVERS.connector().shared().sync().hgetall("project:victim").toString())
                .isEqualTo(before);
    }

    private JsonNode project() throws Exception {
        return JSON.readTree(get("/projects/victim").body());
    }

    private HttpResponse<String> patch(String project, String body, String contentType) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(uri("/projects/" + project))
                                .header("Content-Type", contentType)
                                .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
