package dev.deploypipeline.upload.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.DeploymentId;
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
