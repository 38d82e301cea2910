package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.testing.PipelineServers;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A project's history and instant rollback through the API. The deployments are put in the states the
 * deploy-service leaves them in directly, through the shared stores.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "api.token=" + ProjectRollbackTest.TOKEN)
class ProjectRollbackTest extends RunningApi {

    static final String TOKEN = "rollback-test-token";

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    private static final ProjectStore projects = servers.projects();
    private static final ProjectHistory history = new ProjectHistory(servers);

    ProjectRollbackTest() {
        super(TOKEN);
    }

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry);
    }

    @Test
    void rollbackPointsTheSiteAtAnEarlierDeploymentAtOnce() {
        ProjectName shop = history.project("shop");
        DeploymentId first = history.deployed(shop);
        DeploymentId second = history.deployed(shop);
        projects.promote(shop, first);
        projects.promote(shop, second);

        HttpResponse<String> response = rollback("shop", first);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(projects.aliasTarget(shop)).contains(first);
        assertThat(read(response).get("project").asString()).isEqualTo("shop");
        assertThat(read(response).get("id").asString()).isEqualTo(first.value());
        assertThat(api.getJson("/projects/shop").toString()).contains(first.value());
    }

    @Test
    void rollbackNeedsTheTokenLikeEveryChange() {
        ProjectName guarded = history.project("guarded");
        DeploymentId live = history.deployed(guarded);
        DeploymentId earlier = history.deployed(guarded);
        projects.promote(guarded, live);

        HttpResponse<String> response = anonymous.post("/projects/guarded/rollback", Map.of("id", earlier.value()));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(projects.aliasTarget(guarded)).contains(live);
    }

    @Test
    void projectDeploymentsAreListedNewestFirstWithTheirStatusAndWhichIsServed() {
        ProjectName blog = history.project("blog");
        DeploymentId first = history.deployed(blog);
        DeploymentId second = history.deployed(blog);
        DeploymentId building = history.uploaded(blog);
        servers.transitions().start(building, "");
        projects.promote(blog, second);

        JsonNode list = api.getJson("/projects/blog/deployments");

        assertThat(list).hasSize(3);
        assertThat(list.get(0).get("id").asString()).isEqualTo(building.value());
        assertThat(list.get(0).get("status").asString()).isEqualTo("building");
        assertThat(list.get(0).get("current").asBoolean()).isFalse();
        assertThat(list.get(1).get("id").asString()).isEqualTo(second.value());
        assertThat(list.get(1).get("status").asString()).isEqualTo("deployed");
        assertThat(list.get(1).get("current").asBoolean()).isTrue();
        assertThat(list.get(2).get("id").asString()).isEqualTo(first.value());
        assertThat(api.getJson("/projects/blog/deployments?limit=1")).hasSize(1);
        assertThat(api.get("/projects/blog/deployments?limit=0").statusCode()).isEqualTo(400);
    }

    @Test
    void rollbackToADeploymentThatIsNotDeployedOrOfAnotherProjectIsAConflict() {
        ProjectName docs = history.project("docs");
        DeploymentId live = history.deployed(docs);
        projects.promote(docs, live);
        DeploymentId failed = history.failed(docs);
        DeploymentId elsewhere = history.deployed(history.project("elsewhere"));

        for (DeploymentId id : new DeploymentId[] {failed, elsewhere}) {
            HttpResponse<String> response = rollback("docs", id);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(read(response).get("detail").asString()).contains(id.value());
        }
        assertThat(projects.aliasTarget(docs)).contains(live);
    }

    @Test
    void unknownProjectOrDeploymentIs404() {
        history.project("known");

        HttpResponse<String> unknownProject = rollback("nobody", DeploymentId.random());
        assertThat(unknownProject.statusCode()).isEqualTo(404);
        assertThat(unknownProject.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(api.get("/projects/nobody/deployments").statusCode()).isEqualTo(404);
        assertThat(rollback("known", DeploymentId.random()).statusCode()).isEqualTo(404);
    }

    @Test
    void malformedRollbackRequestsAre400() {
        history.project("strict");

        for (String body : new String[] {"{}", "{\"id\":\"\"}", "{\"id\":\"../../etc\"}", "{\"id\": "}) {
            assertThat(api.post("/projects/strict/rollback", body).statusCode())
                    .as(body)
                    .isEqualTo(400);
        }
        assertThat(rollback("Not_A_Name", DeploymentId.random()).statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> rollback(String project, DeploymentId id) {
        return api.post("/projects/" + project + "/rollback", Map.of("id", id.value()));
    }
}
