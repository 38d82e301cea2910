package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.testing.PipelineServers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
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
class ProjectRollbackTest {

    static final String TOKEN = "rollback-test-token";
    private static final Instant T0 = Instant.now();
    private static final AtomicLong CREATED = new AtomicLong();

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    private static final DeploymentStore deployments = servers.deployments();
    private static final DeploymentTransitions transitions = servers.transitions();
    private static final ProjectStore projects = servers.projects();

    @LocalServerPort
    int port;

    private ApiClient api;

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry);
    }

    @BeforeEach
    void client() {
        api = new ApiClient(port, TOKEN);
    }

    @Test
    void rollbackPointsTheSiteAtAnEarlierDeploymentAtOnce() {
        ProjectName shop = project("shop");
        DeploymentId first = deployed(shop);
        DeploymentId second = deployed(shop);
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
        ProjectName guarded = project("guarded");
        DeploymentId live = deployed(guarded);
        DeploymentId earlier = deployed(guarded);
        projects.promote(guarded, live);

        HttpResponse<String> response =
                new ApiClient(port, null).post("/projects/guarded/rollback", Map.of("id", earlier.value()));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(projects.aliasTarget(guarded)).contains(live);
    }

    @Test
    void projectDeploymentsAreListedNewestFirstWithTheirStatusAndWhichIsServed() {
        ProjectName blog = project("blog");
        DeploymentId first = deployed(blog);
        DeploymentId second = deployed(blog);
        DeploymentId building = uploaded(blog);
        transitions.start(building, "");
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
        ProjectName docs = project("docs");
        DeploymentId live = deployed(docs);
        projects.promote(docs, live);
        DeploymentId failed = uploaded(docs);
        transitions.fail(failed, "npm run build exited with 1");
        DeploymentId elsewhere = deployed(project("elsewhere"));

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
        project("known");

        HttpResponse<String> unknownProject = rollback("nobody", DeploymentId.random());
        assertThat(unknownProject.statusCode()).isEqualTo(404);
        assertThat(unknownProject.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(api.get("/projects/nobody/deployments").statusCode()).isEqualTo(404);
        assertThat(rollback("known", DeploymentId.random()).statusCode()).isEqualTo(404);
    }

    @Test
    void malformedRollbackRequestsAre400() {
        project("strict");

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

    private static ProjectName project(String name) {
        ProjectName projectName = new ProjectName(name);
        projects.save(new Project(projectName, "https://git.example.com/" + name + ".git", "main", null, false, T0));
        return projectName;
    }

    private static DeploymentId deployed(ProjectName project) {
        DeploymentId id = uploaded(project);
        transitions.start(id, "");
        transitions.deploy(id, "");
        return id;
    }

    private static DeploymentId uploaded(ProjectName project) {
        DeploymentId id = DeploymentId.random();
        Instant createdAt = T0.plusSeconds(CREATED.incrementAndGet());
        transitions.accept(
                Deployment.accepted(id, "https://git.example.com/site.git", null, project.value(), createdAt),
                Duration.ofMinutes(1));
        transitions.upload(id, "0".repeat(40));
        return id;
    }
}
