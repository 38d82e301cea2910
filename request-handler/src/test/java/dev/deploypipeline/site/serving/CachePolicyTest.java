package dev.deploypipeline.site.serving;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CachePolicyTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "assets/index-GpEN3EET.js", "assets/index-D8b4DwTb.css", "assets/react-CHdo91hT.svg",
                "assets/Settings-Cx9a8b7D.js", "static/js/main.3f2a1b9c.chunk.js", "static/css/main.073c9b0a.css",
                "_next/static/chunks/framework-2c79e2a64abdb08b.js",
            })
    void filesWithAContentHashInTheirNameAreImmutable(String path) {
        assertThat(CachePolicy.of(path)).isEqualTo("public, max-age=31536000, immutable");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "index.html",
                "docs/index.html",
                "assets/index-GpEN3EET.html",
                "vite.svg",
                "favicon.png",
                "robots.txt",
                "js/app-settings.js",
                "js/my-component.js",
                "js/app-UserProfile.js",
                "jquery-3.7.1.min.js",
                "manifest.json",
            })
    void everythingElseIsRevalidated(String path) {
        assertThat(CachePolicy.of(path)).isEqualTo("no-cache");
    }
}
