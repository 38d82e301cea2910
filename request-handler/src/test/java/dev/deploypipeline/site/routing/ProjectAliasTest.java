package dev.deploypipeline.site.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.site.RunningHandler;
import dev.deploypipeline.site.SiteFile;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code {project}.localhost} serves what the project's alias points at. Lookups are kept for ten minutes
 * here, so a switch seen within a second can only come from the invalidation over pub/sub.
 */
@TestPropertySource(properties = "SITE_LOOKUP_TTL=10m")
class ProjectAliasTest extends RunningHandler {

    private static final Duration WELL_WITHIN_THE_TTL = Duration.ofSeconds(2);

    private final ProjectStore projects = pipeline.projects();

    @Test
    void aliasServesTheProjectsCurrentDeployment() {
        ProjectName shop = pipeline.project("shop", false);
        DeploymentId id = deployedVersion(shop, "v1");
        projects.promote(shop, id);

        assertThat(client.text("shop.localhost", "/")).contains("<title>v1</title>");
        assertThat(client.get("shop.localhost", "/assets/index-GpEN3EET.js").statusCode())
                .isEqualTo(200);
    }

    @Test
    void aliasMovesToEachNewDeploymentRightAfterItIsPromoted() {
        ProjectName blog = pipeline.project("blog", false);
        projects.promote(blog, deployedVersion(blog, "v1"));
        assertThat(client.text("blog.localhost", "/")).contains("<title>v1</title>");

        projects.promote(blog, deployedVersion(blog, "v2"));

        await().atMost(WELL_WITHIN_THE_TTL)
                .untilAsserted(
                        () -> assertThat(client.text("blog.localhost", "/")).contains("<title>v2</title>"));
    }

    @Test
    void olderBuildThatFinishesLastDoesNotTakeTheAliasBack() {
        ProjectName docs = pipeline.project("docs", false);
        DeploymentId older = pipeline.uploaded(docs, SiteFile.viteBuild("older"));
        DeploymentId newer = pipeline.uploaded(docs, SiteFile.viteBuild("newer"));
        finish(newer);
        projects.promote(docs, newer);
        assertThat(client.text("docs.localhost", "/")).contains("<title>newer</title>");

        finish(older);
        boolean moved = projects.promote(docs, older);

        assertThat(moved).isFalse();
        assertThat(projects.aliasTarget(docs)).contains(newer);
        assertThat(client.text("docs.localhost", "/")).contains("<title>newer</title>");
        assertThat(client.text(older + ".localhost", "/")).contains("<title>older</title>");
    }

    @Test
    void rollbackSwitchesTheSiteBackAtOnce() {
        ProjectName app = pipeline.project("app", false);
        DeploymentId first = deployedVersion(app, "first");
        projects.promote(app, first);
        projects.promote(app, deployedVersion(app, "second"));
        await().atMost(WELL_WITHIN_THE_TTL)
                .untilAsserted(
                        () -> assertThat(client.text("app.localhost", "/")).contains("<title>second</title>"));

        projects.pointAliasAt(app, first);

        await().atMost(WELL_WITHIN_THE_TTL)
                .untilAsserted(
                        () -> assertThat(client.text("app.localhost", "/")).contains("<title>first</title>"));
    }

    @Test
    void projectAliasUsesTheProjectsSinglePageAppFallback() {
        ProjectName spa = pipeline.project("spa", true);
        projects.promote(spa, deployedVersion(spa, "spa"));

        assertThat(client.get("spa.localhost", "/account/orders").statusCode()).isEqualTo(200);
        assertThat(client.text("spa.localhost", "/account/orders")).contains("<title>spa</title>");
    }

    @Test
    void projectWithNothingDeployedIs404() {
        ProjectName empty = pipeline.project("empty", false);
        pipeline.uploaded(empty, SiteFile.viteBuild("still building"));

        assertThat(client.get("empty.localhost", "/").statusCode()).isEqualTo(404);
    }

    @Test
    void aliasChangesAreStillSeenAfterRedisRestarts() {
        ProjectName wiki = pipeline.project("wiki", false);
        projects.promote(wiki, deployedVersion(wiki, "before"));
        assertThat(client.text("wiki.localhost", "/")).contains("<title>before</title>");

        pipeline.restartRedis();
        DeploymentId after = await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> deployedVersion(wiki, "after"), id -> true);
        projects.promote(wiki, after);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(client.text("wiki.localhost", "/")).contains("<title>after</title>"));
    }

    private DeploymentId deployedVersion(ProjectName project, String title) {
        return pipeline.deployed(project, SiteFile.viteBuild(title));
    }

    private void finish(DeploymentId id) {
        pipeline.transitions().start(id, "");
        pipeline.transitions().deploy(id, "");
    }
}
