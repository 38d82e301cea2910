package dev.deploypipeline.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PreviewAliasTest {

    private static final ProjectName SHOP = new ProjectName("shop");

    @Test
    void aBranchBecomesOneLowercaseDnsLabelBeforeItsProject() {
        assertThat(label("feature/Cart")).isEqualTo("feature-cart--shop");
        assertThat(label("fix--double__dash")).isEqualTo("fix-double-dash--shop");
        assertThat(label("-/leading/and/trailing/-")).isEqualTo("leading-and-trailing--shop");
        assertThat(label("v2")).isEqualTo("v2--shop");
    }

    @Test
    void aLabelNeverHoldsTwoHyphensBeforeItsProjectSoItSplitsBackToIt() {
        for (String branch : List.of("a--b", "x---y", "../x", "a/-/b", "ü-ä-ö")) {
            PreviewAlias.of(SHOP, branch).ifPresent(preview -> {
                assertThat(preview.label().indexOf("--"))
                        .isEqualTo(preview.label().length() - "--shop".length());
                assertThat(PreviewAlias.projectOf(preview.label())).contains(SHOP);
            });
        }
        assertThat(PreviewAlias.projectOf("shop")).isEmpty();
        assertThat(PreviewAlias.projectOf("--shop")).isEmpty();
        assertThat(PreviewAlias.projectOf("a--Not_A_Name")).isEmpty();
    }

    @Test
    void aLabelIsAPreviewsOfAProjectOnlyWhenItIsOneDnsLabelEndingInThatProject() {
        ProjectName shop = new ProjectName("shop");

        assertThat(PreviewAlias.isLabelOf(
                        shop,
                        PreviewAlias.of(shop, "feature/cart").orElseThrow().label()))
                .isTrue();
        assertThat(PreviewAlias.isLabelOf(shop, "feature--blog")).isFalse();
        assertThat(PreviewAlias.isLabelOf(shop, "shop")).isFalse();
        assertThat(PreviewAlias.isLabelOf(shop, "../x--shop")).isFalse();
        assertThat(PreviewAlias.isLabelOf(shop, "Feature--shop")).isFalse();
        assertThat(PreviewAlias.isLabelOf(shop, "a".repeat(60) + "--shop")).isFalse();
    }

    @Test
    void aLongBranchIsCutToTheLabelsLimitAndKeptApartByItsHash() {
        String one = label("release/" + "x".repeat(100) + "/one");
        String two = label("release/" + "x".repeat(100) + "/two");

        assertThat(one).hasSize(63).endsWith("--shop").startsWith("release-xxx");
        assertThat(two).hasSize(63).isNotEqualTo(one);
        assertThat(ProjectName.isValid(one)).isTrue();
        ProjectName longest = new ProjectName("p".repeat(60));
        assertThat(PreviewAlias.of(longest, "main")).isEmpty();
    }

    @Test
    void aBranchWithNothingOfAsciiOrNamedLikeAnInternationalNameGetsNoLabel() {
        assertThat(PreviewAlias.of(SHOP, "日本語")).isEmpty();
        assertThat(PreviewAlias.of(SHOP, "---")).isEmpty();
        assertThat(PreviewAlias.of(SHOP, "XN")).isEmpty();
        assertThat(PreviewAlias.looksLikePreview("a--b")).isTrue();
        assertThat(PreviewAlias.looksLikePreview("a-b")).isFalse();
    }

    @Test
    void previewBranchesMatchAllNoneOrTheirPatterns() {
        PreviewBranches patterns = new PreviewBranches(List.of("feature/*", "fix-*", "exact"));

        assertThat(PreviewBranches.ALL.matches("anything/at/all")).isTrue();
        assertThat(PreviewBranches.NONE.matches("main")).isFalse();
        assertThat(patterns.matches("feature/a/b")).isTrue();
        assertThat(patterns.matches("fix-typo")).isTrue();
        assertThat(patterns.matches("exact")).isTrue();
        assertThat(patterns.matches("exactly")).isFalse();
        assertThat(patterns.matches("feature")).isFalse();
        assertThat(new PreviewBranches(List.of("a.b")).matches("axb")).isFalse();
        assertThat(PreviewBranches.fromStored(patterns.stored())).isEqualTo(patterns);
        assertThat(PreviewBranches.fromStored("all")).isEqualTo(PreviewBranches.ALL);
        assertThat(PreviewBranches.fromStored(null)).isEqualTo(PreviewBranches.NONE);
    }

    private static String label(String branch) {
        return PreviewAlias.of(SHOP, branch).orElseThrow().label();
    }
}
