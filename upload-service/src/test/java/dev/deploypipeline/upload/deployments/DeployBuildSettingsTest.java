package dev.deploypipeline.upload.deployments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.DeploymentId;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Build settings given to {@code POST /deploy} are kept with the deployment, for the builder to read. */
class DeployBuildSettingsTest extends RunningService {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void buildSettingsOfTheRequestAreKeptWithTheDeploymentAndTheirValuesAreNeverShown() throws Exception {
        HttpResponse<String> response = postJson("/deploy", """
                {"repoUrl": "http://%s/site.git", "rootDirectory": "apps/web", "installCommand": "npm ci",
                 "buildCommand": "npm run build:prod", "outputDirectory": "public", "env": {"API_KEY": "s3cret-value"}}
                """.formatted(NO_GIT_SERVER));

        assertThat(response.statusCode()).isEqualTo(202);
        DeploymentId id = new DeploymentId(JSON.readTree(response.body()).get("id").asString());
        assertThat(store.find(id).orElseThrow().build()).isEqualTo(new BuildSettings("apps/web", "npm ci",
                "npm run build:prod", "public", Map.of("API_KEY", "s3cret-value")));
        assertThat(get("/deployments/" + id).body()).doesNotContain("s3cret-value");
    }
}
