package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.deployment.DeploymentEvent;
import dev.deploypipeline.deployment.DeploymentEvents;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.SiteMove;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.testing.PipelineServers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
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
class StickyRollbackTest extends RunningApi {

    static final String TOKEN = "sticky-rollback-token";

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    private static final ProjectStore projects = servers.projects();
    private static final ProjectHistory history = new ProjectHistory(servers);
    private static final DeploymentEvents events = new DeploymentEvents(servers.connector());

    StickyRollbackTest() {
        super(TOKEN);
    }

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry);
    }

    @Test
    void aRollbackPinsTheSiteAndLaterDeploymentsBuildWithoutMovingItUntilOneIsPromoted() {
        ProjectName shop = history.project("shop");
        DeploymentId first = history.deployed(shop);
        DeploymentId second = history.deployed(shop);
        projects.promote(shop, first);
        projects.promote(shop, second);

        HttpResponse<String> rolledBack = api.post("/projects/shop/rollback", Map.of("id", first.value()));

        assertThat(rolledBack.statusCode()).as(rolledBack.body()).isEqualTo(200);
        assertThat(read(rolledBack).get("pinned").asBoolean()).isTrue();
        assertThat(api.getJson("/projects/shop").get("pinned").asString()).isEqualTo(first.value());
        DeploymentId third = history.deployed(shop);
        assertThat(projects.promote(shop, third)).isFalse();
        assertThat(projects.aliasTarget(shop)).contains(first);
        assertThat(api.getJson("/deployments/" + third).get("status").asString())
                .isEqualTo("deployed");

        HttpResponse<String> promoted = api.post("/projects/shop/promote", Map.of("id", third.value()));

        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
        assertThat(read(promoted).get("pinned").asBoolean()).isFalse();
        assertThat(projects.aliasTarget(shop)).contains(third);
        assertThat(api.getJson("/projects/shop").has("pinned")).isFalse();
        theNextDeploymentMovesTheSite(shop);
    }

    @Test
    void liftingThePinLeavesTheSiteUntilTheNextDeploymentMovesIt() {
        ProjectName blog = history.project("blog");
        DeploymentId first = history.deployed(blog);
        DeploymentId second = history.deployed(blog);
        projects.promote(blog, second);
        api.post("/projects/blog/rollback", Map.of("id", first.value()));

        HttpResponse<String> lifted = api.delete("/projects/blog/pin");

        assertThat(lifted.statusCode()).as(lifted.body()).isEqualTo(200);
        assertThat(read(lifted).get("id").asString()).isEqualTo(first.value());
        assertThat(projects.pin(blog)).isEmpty();
        assertThat(projects.aliasTarget(blog)).contains(first);
        theNextDeploymentMovesTheSite(blog);
    }

    @Test
    void promotedAndRolledBackAreToldOnTheEventStreamWithThePin() {
        ProjectName docs = history.project("docs");
        DeploymentId first = history.deployed(docs);
        DeploymentId second = history.deployed(docs);
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
        ProjectName app = history.project("app");
        DeploymentId live = history.deployed(app);
        projects.promote(app, live);
        DeploymentId failed = history.failed(app);
        DeploymentId elsewhere = history.deployed(history.project("elsewhere"));

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

    /** A new deployment of {@code project}, promoted as the deploy-service does, moves its site. */
    private static void theNextDeploymentMovesTheSite(ProjectName project) {
        DeploymentId next = history.deployed(project);
        assertThat(projects.promote(project, next)).isTrue();
        assertThat(projects.aliasTarget(project)).contains(next);
    }
}
