package dev.deploypipeline.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.testing.RedisExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProjectStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final ProjectName SHOP = new ProjectName("shop");

    @RegisterExtension
    static final RedisExtension redisServer = new RedisExtension();

    private ProjectStore projects;
    private DeploymentTransitions transitions;

    @BeforeEach
    void freshAdapters() {
        projects = new ProjectStore(redisServer.connector());
        transitions = new DeploymentTransitions(redisServer.connector(), Clock.systemUTC());
    }

    @Test
    void savedProjectReadsBackWithItsBuildSettings() {
        Project shop = new Project(
                SHOP,
                "https://example.com/shop.git",
                "main",
                new BuildSettings("web", null, "npm run build", "dist", Map.of("MODE", "prod")),
                true,
                T0);

        projects.save(shop);

        assertThat(projects.find(SHOP)).contains(shop);
        assertThat(projects.names()).containsExactly(SHOP);
        assertThat(projects.find(new ProjectName("other"))).isEmpty();
    }

    @Test
    void aliasOnlyMovesForwardWhenAnOlderBuildFinishesLast() {
        DeploymentId older = DeploymentId.random();
        DeploymentId newer = DeploymentId.random();
        accepted(older, T0);
        accepted(newer, T0.plusSeconds(5));

        assertThat(projects.promote(SHOP, newer)).isTrue();
        assertThat(projects.promote(SHOP, older)).isFalse();

        assertThat(projects.aliasTarget(SHOP)).contains(newer);
        assertThat(projects.history(SHOP, 10)).containsExactly(newer, older);
    }

    @Test
    void rollbackPointsTheAliasBackAtOnceButOnlyWithinTheProject() {
        DeploymentId first = DeploymentId.random();
        DeploymentId second = DeploymentId.random();
        accepted(first, T0);
        accepted(second, T0.plusSeconds(5));
        projects.promote(SHOP, second);

        assertThat(projects.pointAliasAt(SHOP, first)).isTrue();
        assertThat(projects.aliasTarget(SHOP)).contains(first);
        assertThat(projects.pointAliasAt(SHOP, DeploymentId.random())).isFalse();
        assertThat(projects.aliasTarget(SHOP)).contains(first);
    }

    @Test
    void aRollbackPinsTheAliasUntilAPromotionLiftsIt() {
        DeploymentId first = DeploymentId.random();
        DeploymentId second = DeploymentId.random();
        DeploymentId third = DeploymentId.random();
        accepted(first, T0);
        accepted(second, T0.plusSeconds(5));
        accepted(third, T0.plusSeconds(10));
        projects.promote(SHOP, second);

        projects.pointAliasAt(SHOP, first);

        assertThat(projects.pin(SHOP)).contains(first);
        assertThat(projects.promote(SHOP, third)).isFalse();
        assertThat(projects.aliasTarget(SHOP)).contains(first);
        assertThat(projects.promoteTo(SHOP, third)).isEqualTo(ProjectStore.Promotion.NOT_DEPLOYED);
        assertThat(projects.promoteTo(SHOP, DeploymentId.random())).isEqualTo(ProjectStore.Promotion.NOT_THE_PROJECTS);
        assertThat(projects.pin(SHOP)).contains(first);
        redisServer.connector().shared().sync().hset("status", third.value(), "deployed");
        assertThat(projects.promoteTo(SHOP, third)).isEqualTo(ProjectStore.Promotion.PROMOTED);
        assertThat(projects.pin(SHOP)).isEmpty();
        assertThat(projects.aliasTarget(SHOP)).contains(third);
    }

    @Test
    void aProjectSavedBeforePreviewsReadsBackWithNone() {
        projects.save(new Project(SHOP, "https://example.com/shop.git", "main", null, false, T0));
        redisServer.connector().shared().sync().hdel("project:shop", "previewBranches");

        assertThat(projects.find(SHOP).orElseThrow().previewBranches()).isEqualTo(PreviewBranches.NONE);
        Project patterns = new Project(
                SHOP,
                "https://example.com/shop.git",
                "main",
                null,
                false,
                T0,
                new PreviewBranches(List.of("feature/*", "fix-*")));
        projects.save(patterns);
        assertThat(projects.find(SHOP)).contains(patterns);
    }

    @Test
    void aPreviewsLabelIsGivenUpOnlyWhileItServesNothingAndItsBranchHoldsIt() {
        PreviewStore previews = new PreviewStore(redisServer.connector());
        PreviewAlias main = PreviewAlias.of(SHOP, "main").orElseThrow();
        PreviewAlias next = PreviewAlias.of(SHOP, "next").orElseThrow();
        DeploymentId served = DeploymentId.random();
        accepted(served, T0);
        redisServer.connector().shared().sync().hset("status", served.value(), "deployed");
        assertThat(previews.claim(main).held()).isTrue();
        assertThat(previews.claim(next).held()).isTrue();
        assertThat(previews.promote(next, served)).isTrue();

        assertThat(previews.release(new PreviewAlias(SHOP, "other", main.label())))
                .isFalse();
        assertThat(previews.release(next)).isFalse();
        assertThat(previews.release(main)).isTrue();

        assertThat(previews.previews(SHOP)).containsOnlyKeys(next.label());
        assertThat(redisServer.connector().shared().sync().hget("aliases", next.label()))
                .isEqualTo(served.value());
    }

    @Test
    void projectNamesAreDnsLabelsThatCannotBeMistakenForIds() {
        assertThat(ProjectName.isValid("my-shop-2")).isTrue();
        assertThat(ProjectName.isValid(DeploymentId.random().value())).isFalse();
        assertThat(ProjectName.isValid("-shop")).isFalse();
        assertThat(ProjectName.isValid("Shop")).isFalse();
        assertThat(ProjectName.isValid("a".repeat(64))).isFalse();
        assertThatThrownBy(() -> new ProjectName("../x")).isInstanceOf(InvalidProjectNameException.class);
    }

    /** A deployment of the shop created at {@code createdAt}: accepting it puts it in the project's history. */
    private void accepted(DeploymentId id, Instant createdAt) {
        transitions.accept(
                Deployment.accepted(id, "https://example.com/shop.git", null, SHOP.value(), createdAt),
                Duration.ofMinutes(1));
    }
}
