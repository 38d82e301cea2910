package dev.deploypipeline.site.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.project.PreviewAlias;
import dev.deploypipeline.project.PreviewStore;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.site.RunningHandler;
import dev.deploypipeline.site.SiteFile;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code {branch}--{project}.localhost} serves the branch's preview, beside the project's own site. Lookups are
 * kept for ten minutes here, so a change seen within seconds can only come from the announcement on pub/sub.
 */
@TestPropertySource(properties = "SITE_LOOKUP_TTL=10m")
class PreviewRoutingTest extends RunningHandler {

    private static final Duration WELL_WITHIN_THE_TTL = Duration.ofSeconds(2);

    private final ProjectStore projects = pipeline.projects();
    private final PreviewStore previews = pipeline.previews();

    @Test
    void aBranchPreviewServesAtItsOwnHostWhileTheProjectsSiteStays() {
        ProjectName shop = pipeline.project("preview-shop", false);
        projects.promote(shop, pipeline.deployed(shop, SiteFile.viteBuild("production")));
        PreviewAlias feature = claimed(shop, "feature/Checkout");

        assertThat(feature.label()).isEqualTo("feature-checkout--preview-shop");
        assertThat(client.get(feature.label() + ".localhost", "/").statusCode()).isEqualTo(404);

        DeploymentId built = pipeline.deployedPreview(feature, SiteFile.viteBuild("checkout preview"));
        assertThat(previews.promote(feature, built)).isTrue();

        await().atMost(WELL_WITHIN_THE_TTL)
                .untilAsserted(() -> assertThat(client.text("Feature-Checkout--Preview-Shop.localhost:3001", "/"))
                        .contains("<title>checkout preview</title>"));
        assertThat(client.text("preview-shop.localhost", "/")).contains("<title>production</title>");
        assertThat(projects.aliasTarget(shop)).isNotEqualTo(Optional.of(built));
    }

    @Test
    void aRemovedPreviewServesNothingAtOnceAndItsLateBuildBringsNothingBack() {
        ProjectName blog = pipeline.project("preview-blog", false);
        PreviewAlias draft = claimed(blog, "draft");
        previews.promote(draft, pipeline.deployedPreview(draft, SiteFile.viteBuild("draft")));
        assertThat(client.text(draft.label() + ".localhost", "/")).contains("<title>draft</title>");

        assertThat(previews.remove(draft)).isTrue();

        await().atMost(WELL_WITHIN_THE_TTL)
                .untilAsserted(() -> assertThat(
                                client.get(draft.label() + ".localhost", "/").statusCode())
                        .isEqualTo(404));
        DeploymentId afterDeletion = pipeline.deployedPreview(draft, SiteFile.viteBuild("after deletion"));
        assertThat(previews.promote(draft, afterDeletion)).isFalse();
        assertThat(previews.previews(blog)).isEmpty();
        assertThat(client.get(draft.label() + ".localhost", "/").statusCode()).isEqualTo(404);
    }

    @Test
    void aPreviewUsesItsProjectsSinglePageAppFallback() {
        ProjectName app = pipeline.project("preview-spa", true);
        PreviewAlias next = claimed(app, "next");
        previews.promote(next, pipeline.deployedPreview(next, SiteFile.viteBuild("next")));

        assertThat(client.text(next.label() + ".localhost", "/account/orders")).contains("<title>next</title>");
    }

    @Test
    void hostileBranchNamesMakeOrdinaryLabelsAndHostileHostsServeNothing() {
        ProjectName docs = pipeline.project("preview-docs", false);
        projects.promote(docs, pipeline.deployed(docs, SiteFile.viteBuild("docs")));

        PreviewAlias dots = claimed(docs, "../x");
        PreviewAlias unicode = claimed(docs, "fëature/ünï");
        PreviewAlias longest = claimed(docs, "b".repeat(300));
        previews.promote(dots, pipeline.deployedPreview(dots, SiteFile.viteBuild("dots")));

        assertThat(dots.label()).isEqualTo("x--preview-docs");
        assertThat(unicode.label()).isEqualTo("f-ature-n--preview-docs");
        assertThat(longest.label()).hasSize(63).endsWith("--preview-docs").matches("[a-z0-9-]+");
        assertThat(PreviewAlias.of(docs, "日本語/ü")).isEmpty();
        assertThat(PreviewAlias.of(docs, "xn")).isEmpty();
        assertThat(client.text("x--preview-docs.localhost", "/")).contains("<title>dots</title>");
        for (String host : new String[] {
            "../x--preview-docs.localhost",
            "..%2Fx--preview-docs.localhost",
            "fëature--preview-docs.localhost",
            "b".repeat(300) + "--preview-docs.localhost",
            "x--preview-docs.localhost.evil.example",
            "x--preview-docs..localhost",
            "-x--preview-docs.localhost"
        }) {
            int status = client.raw(host, "/").status();
            assertThat(status).as(host).isIn(400, 404);
        }
    }

    @Test
    void aLabelOfAnotherProjectsNameCannotBeClaimedAndServesThatProject() {
        ProjectName legacy = new ProjectName("a--preview-b");
        projects.save(new Project(legacy, "https://git.example.com/legacy.git", "main", null, false, Instant.now()));
        projects.promote(legacy, pipeline.deployed(legacy, SiteFile.viteBuild("legacy project")));
        ProjectName b = pipeline.project("preview-b", false);

        PreviewAlias colliding = PreviewAlias.of(b, "a").orElseThrow();
        PreviewStore.Claim claim = previews.claim(colliding);

        assertThat(colliding.label()).isEqualTo("a--preview-b");
        assertThat(claim.held()).isFalse();
        assertThat(claim.holder()).isNull();
        assertThat(previews.promote(colliding, pipeline.deployedPreview(colliding, SiteFile.viteBuild("taken"))))
                .isFalse();
        assertThat(client.text("a--preview-b.localhost", "/")).contains("<title>legacy project</title>");
    }

    @Test
    void twoBranchesOfOneLabelAreRefusedTheSecond() {
        ProjectName site = pipeline.project("preview-site", false);
        PreviewAlias first = claimed(site, "feature/a");
        PreviewAlias second = PreviewAlias.of(site, "feature-a").orElseThrow();

        PreviewStore.Claim claim = previews.claim(second);

        assertThat(second.label()).isEqualTo(first.label());
        assertThat(claim.held()).isFalse();
        assertThat(claim.holder()).isEqualTo("feature/a");
        assertThat(previews.promote(second, pipeline.deployedPreview(second, SiteFile.viteBuild("second"))))
                .isFalse();
    }

    private PreviewAlias claimed(ProjectName project, String branch) {
        PreviewAlias preview = PreviewAlias.of(project, branch).orElseThrow();
        assertThat(previews.claim(preview).held()).isTrue();
        return preview;
    }
}
