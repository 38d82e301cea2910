package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentEvent;
import dev.deploypipeline.deployment.DeploymentEvents;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.deployment.SiteMove;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.testing.PipelineServers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A rollback pins the site: later deployments build but do not move it (the deploy-service's move, {@code
 * ProjectStore.promote}, is made here directly) until one is promoted or the pin is lifted; each move is told on the
 * deployment-events stream with the pin.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "api.token=" + StickyRollbackTest.TOKEN)
class StickyRollbackTest {

    static final String TOKEN = "sticky-rollback-token";
    private static final Instant T0 = Instant.now();
    private static final AtomicLong CREATED = new AtomicLong();

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    private static final DeploymentTransitions transitions = servers.transitions();
    private static final ProjectStore projects = servers.projects();
    private static final DeploymentEvents events = new DeploymentEvents(servers.connector());

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
    void aRollbackPinsTheSiteAndLaterDeploymentsBuildWithoutMovingItUntilOneIsPromoted() {
        ProjectName shop = project("shop");
        DeploymentId first = deployed(shop);
        DeploymentId second = deployed(shop);
        projects.promote(shop, first);
        projects.promote(shop, second);

        HttpResponse<String> rolledBack = api.post("/projects/shop/rollback", Map.of("id", first.value()));

        assertThat(rolledBack.statusCode()).as(rolledBack.body()).isEqualTo(200);
        assertThat(read(rolledBack).get("pinned").asBoolean()).isTrue();
        assertThat(api.getJson("/projects/shop").get("pinned").asString()).isEqualTo(first.value());
        DeploymentId third = deployed(shop);
        assertThat(projects.promote(shop, third)).isFalse();
        assertThat(projects.aliasTarget(shop)).contains(first);
        assertThat(api.getJson("/deployments/" + third).get("status").asString())
                .isEqualTo("deployed");

        HttpResponse<String> promoted = api.post("/projects/shop/promote", Map.of("id", third.value()));

        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
        assertThat(read(promoted).get("pinned").asBoolean()).isFalse();
        assertThat(projects.aliasTarget(shop)).contains(third);
        assertThat(api.getJson("/projects/shop").has("pinned")).isFalse();
        DeploymentId fourth = deployed(shop);
        assertThat(projects.promote(shop, fourth)).isTrue();
        assertThat(projects.aliasTarget(shop)).contains(fourth);
    }

    @Test
    void liftingThePinLeavesTheSiteUntilTheNextDeploymentMovesIt() {
        ProjectName blog = project("blog");
        DeploymentId first = deployed(blog);
        DeploymentId second = deployed(blog);
        projects.promote(blog, second);
        api.post("/projects/blog/rollback", Map.of("id", first.value()));

        HttpResponse<String> lifted = api.delete("/projects/blog/pin");

        assertThat(lifted.statusCode()).as(lifted.body()).isEqualTo(200);
        assertThat(read(lifted).get("id").asString()).isEqualTo(first.value());
        assertThat(projects.pin(blog)).isEmpty();
        assertThat(projects.aliasTarget(blog)).contains(first);
        DeploymentId third = deployed(blog);
        assertThat(projects.promote(blog, third)).isTrue();
        assertThat(projects.aliasTarget(blog)).contains(third);
    }

    @Test
    void promotedAndRolledBackAreToldOnTheEventStreamWithThePin() {
        ProjectName docs = project("docs");
        DeploymentId first = deployed(docs);
        DeploymentId second = deployed(docs);
        String from = events.newestId();
        projects.promote(docs, second);
        api.post("/projects/docs/rollback", Map.of("id", first.value()));
        api.post("/projects/docs/promote", Map.of("id", second.value()));

        List<SiteMove> moves = events.readAfter(from, 100, Duration.ofMillis(100)).stream()
                .filter(event -> "docs".equals(event.project()))
                .map(DeploymentEvent::siteMove)
                .flatMap(Optional::stream)
                .toList();

        assertThat(moves)
                .containsExactly(
                        new SiteMove(SiteMove.Kind.PROMOTED, "docs", false),
                        new SiteMove(SiteMove.Kind.ROLLED_BACK, "docs", true),
                        new SiteMove(SiteMove.Kind.PROMOTED, "docs", false));
        long deployed = servers.redis().hvals("status").stream()
                .filter("deployed"::equals)
                .count();
        assertThat(api.getJson("/queue").get("lastHour").get("deployed").asLong())
                .as("site moves are no builds that ended")
                .isEqualTo(deployed);
    }

    @Test
    void promotingWhatIsNotDeployedOrNotTheProjectsIsRefusedAndMovesNothing() {
        ProjectName app = project("app");
        DeploymentId live = deployed(app);
        projects.promote(app, live);
        DeploymentId failed = uploaded(app);
        transitions.fail(failed, "npm run build exited with 1");
        DeploymentId elsewhere = deployed(project("elsewhere"));

        for (DeploymentId id : List.of(failed, elsewhere)) {
            HttpResponse<String> response = api.post("/projects/app/promote", Map.of("id", id.value()));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        }
        assertThat(api.post(
                                "/projects/app/promote",
                                Map.of("id", DeploymentId.random().value()))
                        .statusCode())
                .isEqualTo(404);
        assertThat(api.post("/projects/app/promote", Map.of("id", "../x")).statusCode())
                .isEqualTo(400);
        assertThat(api.post("/projects/nobody/promote", Map.of("id", live.value()))
                        .statusCode())
                .isEqualTo(404);
        assertThat(api.delete("/projects/nobody/pin").statusCode()).isEqualTo(404);
        assertThat(projects.aliasTarget(app)).contains(live);
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
