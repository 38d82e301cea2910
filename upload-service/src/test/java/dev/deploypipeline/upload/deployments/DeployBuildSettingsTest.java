package dev.deploypipeline.upload.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.DeploymentId;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Build settings given to {@code POST /deploy} are kept with the deployment, for the builder to read; variables
 * the pipeline reserves are refused, for a deployment and a project alike.
 */
class DeployBuildSettingsTest extends RunningService {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void buildSettingsOfTheRequestAreKeptWithTheDeploymentAndTheirValuesAreNeverShown() throws Exception {
        HttpResponse<String> response = postJson("/deploy", """
                {"repoUrl": "http://%s/site.git", "rootDirectory": "apps/web", "installCommand": "npm ci",
                 "buildCommand": "npm run build:prod", "outputDirectory": "public", "env": {"API_KEY": "s3cret-value"}}
                """.formatted(NO_GIT_SERVER));

        assertThat(response.statusCode()).isEqualTo(202);
        DeploymentId id =
                new DeploymentId(JSON.readTree(response.body()).get("id").asString());
        assertThat(store.find(id).orElseThrow().build())
                .isEqualTo(new BuildSettings(
                        "apps/web", "npm ci", "npm run build:prod", "public", Map.of("API_KEY", "s3cret-value")));
        assertThat(get("/deployments/" + id).body()).doesNotContain("s3cret-value");
    }

    @Test
    void cacheOffIsAProjectSettingShownAndPatchedAndTheRequestsOwnWinsOverIt() throws Exception {
        HttpResponse<String> created = postJson("/projects", """
                {"name": "uncached", "repoUrl": "http://%s/site.git", "cache": false}""".formatted(NO_GIT_SERVER));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(JSON.readTree(get("/projects/uncached").body()).get("cache").asBoolean())
                .isFalse();

        HttpResponse<String> deployed = postJson("/deploy", "{\"project\": \"uncached\"}");
        HttpResponse<String> cached = postJson("/deploy", "{\"project\": \"uncached\", \"cache\": true}");

        assertThat(settingsOf(deployed).usesCache()).isFalse();
        assertThat(settingsOf(cached).usesCache()).isTrue();
        HttpResponse<String> patched = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(uri("/projects/uncached"))
                                .header("Content-Type", "application/merge-patch+json")
                                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"cache\": null}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(JSON.readTree(get("/projects/uncached").body()).get("cache").asBoolean())
                .isTrue();
    }

    @Test
    void aCacheThatIsNotABooleanIsRefused() throws Exception {
        HttpResponse<String> refused = postJson("/deploy", """
                {"repoUrl": "http://%s/site.git", "cache": "sometimes"}""".formatted(NO_GIT_SERVER));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(SERVERS.connector().shared().sync().hlen("status")).isZero();
    }

    private BuildSettings settingsOf(HttpResponse<String> accepted) {
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        DeploymentId id =
                new DeploymentId(JSON.readTree(accepted.body()).get("id").asString());
        return store.find(id).orElseThrow().build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"PATH", "LD_PRELOAD", "DEPLOY_TOKEN", "BASH_ENV"})
    void reservedVariablesAreRefusedNamingTheVariableAndNothingIsCreated(String name) throws Exception {
        String env = "{\"%s\": \"bin:/usr/bin:/bin\"}".formatted(name);

        HttpResponse<String> deploy = postJson("/deploy", """
                {"repoUrl": "http://%s/site.git", "env": %s}""".formatted(NO_GIT_SERVER, env));
        HttpResponse<String> project = postJson("/projects", """
                {"name": "reserved", "repoUrl": "http://%s/site.git", "env": %s}""".formatted(NO_GIT_SERVER, env));

        for (HttpResponse<String> refused : List.of(deploy, project)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(JSON.readTree(refused.body()).get("detail").asString()).contains("env " + name);
        }
        assertThat(SERVERS.connector().shared().sync().hlen("status")).isZero();
        assertThat(SERVERS.connector().shared().sync().exists("project:reserved"))
                .isZero();
    }
}
