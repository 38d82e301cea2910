package dev.deploypipeline.deploy.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.project.PreviewAlias;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.storage.ObjectKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a deployed build moves, built by a real worker pool: its project's site forward unless a rollback pinned it, or
 * the preview of its branch while the branch has one; and what the build is told of itself.
 */
class SitePromotionTest {

    private static final ProjectName SHOP = new ProjectName("shop");
    private static final String BRANCH_FILE = "mkdir -p public && "
            + "printf '%s|%s|%s' \"$DEPLOY_BRANCH\" \"$DEPLOY_COMMIT\" \"$DEPLOY_URL\" > public/index.html";

    @RegisterExtension
    static final TestPipeline pipeline = new TestPipeline();

    private final RecordingListener listener = new RecordingListener();

    @TempDir
    Path workDir;

    private boolean started;

    @Test
    void aPreviewBuildMovesItsPreviewWhileTheProjectsSiteStays() {
        PreviewAlias preview = PreviewAlias.of(SHOP, "feature/cart").orElseThrow();
        assertThat(pipeline.previews().claim(preview).held()).isTrue();
        DeploymentId site = pipeline.uploaded("shop", Map.of("index.html", "production"));
        DeploymentId cart = pipeline.uploaded(
                Map.of("index.html", "cart"), BuildSettings.NONE, "shop", "feature/cart", preview.label(), null);

        build(site, cart);

        assertThat(pipeline.projects().aliasTarget(SHOP)).contains(site);
        assertThat(pipeline.redis().hget("aliases", preview.label())).isEqualTo(cart.value());
        assertThat(pipeline.previews().previews(SHOP).get(preview.label()).deployment())
                .contains(cart);
    }

    @Test
    void aBuildOfADeletedBranchIsDeployedAndBringsNoPreviewBack() {
        PreviewAlias preview = PreviewAlias.of(SHOP, "gone").orElseThrow();
        pipeline.previews().claim(preview);
        DeploymentId late = pipeline.uploaded(
                Map.of("index.html", "late"), BuildSettings.NONE, "shop", "gone", preview.label(), null);
        pipeline.previews().remove(preview);

        build(late);

        assertThat(pipeline.state(late)).isEqualTo(DeploymentState.DEPLOYED);
        assertThat(pipeline.redis().hget("aliases", preview.label())).isNull();
        assertThat(pipeline.projects().aliasTarget(SHOP)).isEmpty();
    }

    @Test
    void aBuildOfAPinnedProjectIsDeployedWithoutMovingTheSite() {
        DeploymentId first = pipeline.uploaded("shop", Map.of("index.html", "one"));
        DeploymentId second = pipeline.uploaded("shop", Map.of("index.html", "two"));
        build(first, second);
        assertThat(pipeline.projects().aliasTarget(SHOP)).contains(second);
        pipeline.projects().pointAliasAt(SHOP, first);
        DeploymentId third = pipeline.uploaded("shop", Map.of("index.html", "three"));

        build(third);

        assertThat(pipeline.state(third)).isEqualTo(DeploymentState.DEPLOYED);
        assertThat(pipeline.projects().aliasTarget(SHOP)).contains(first);
        assertThat(pipeline.projects().pin(SHOP)).contains(first);
    }

    @Test
    void theBuildSeesItsBranchCommitAndAddressUnmasked() {
        PreviewAlias preview = PreviewAlias.of(SHOP, "main-next").orElseThrow();
        pipeline.previews().claim(preview);
        DeploymentId id = pipeline.uploaded(
                Map.of("README.md", "built"),
                new BuildSettings(null, "", BRANCH_FILE, "public", Map.of()),
                "shop",
                "main-next",
                preview.label(),
                "http://own-address.localhost:3001/");

        build(id);

        assertThat(pipeline.state(id)).as(pipeline.deployment(id).error()).isEqualTo(DeploymentState.DEPLOYED);
        assertThat(pipeline.text(ObjectKeys.site(id) + "index.html"))
                .isEqualTo("main-next|0123456789abcdef0123456789abcdef01234567|http://own-address.localhost:3001/");
        assertThat(pipeline.storedLog(id)).doesNotContain("***");
    }

    /** Queues the deployments and waits for them to end, on the one pool of the test (started the first time). */
    private void build(DeploymentId... ids) {
        for (DeploymentId id : ids) {
            pipeline.enqueue(id);
        }
        if (!started) {
            pipeline.startPool("replica-a", 1, workDir, listener);
            started = true;
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> listener.ids().containsAll(List.of(ids)));
    }
}
