package dev.deploypipeline.deploy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Which deployments of no project share a repository's cache entries: only those given the same settings. */
class CacheScopeTest {

    private static final String URL = "https://github.com/someone/site.git";

    private static final SecretKey KEY = new SecretKeySpec(new byte[32], "HmacSHA256");

    @Test
    void aDeploymentWithNodeOptionsGetsAnotherScopeThanOneWithout() {
        CacheScope without = CacheScope.ofRepository(KEY, URL, null, null, null, Map.of());
        CacheScope with =
                CacheScope.ofRepository(KEY, URL, null, null, null, Map.of("NODE_OPTIONS", "--import=./evil.mjs"));

        assertThat(with.prefix()).startsWith("cache/repositories/").isNotEqualTo(without.prefix());
    }

    @Test
    void theSameVariablesInAnyOrderShareAScopeAndNoTwoDifferentSetsDo() {
        Map<String, String> ordered = new LinkedHashMap<>();
        ordered.put("A", "1");
        ordered.put("B", "2");
        Map<String, String> reversed = new LinkedHashMap<>();
        reversed.put("B", "2");
        reversed.put("A", "1");

        assertThat(CacheScope.ofRepository(KEY, URL + "/", null, null, null, ordered))
                .isEqualTo(CacheScope.ofRepository(KEY, URL, null, null, null, reversed));
        assertThat(CacheScope.ofRepository(KEY, URL, null, null, null, Map.of("A", "1\nB=2")))
                .isNotEqualTo(CacheScope.ofRepository(KEY, URL, null, null, null, ordered));
        assertThat(CacheScope.ofRepository(KEY, URL, null, null, null, Map.of("A", "1")))
                .isNotEqualTo(CacheScope.ofRepository(KEY, URL, null, null, null, Map.of("A", "2")));
    }

    @Test
    void noCommandsOrVariablesReadAsAnyOtherSplitOfTheSameText() {
        assertThat(CacheScope.ofRepository(KEY, URL, null, "npm ci\nnpm test", "vite build", Map.of()))
                .isNotEqualTo(CacheScope.ofRepository(KEY, URL, null, "npm ci", "npm test\nvite build", Map.of()));
        assertThat(CacheScope.ofRepository(KEY, URL, null, null, null, Map.of()))
                .isNotEqualTo(CacheScope.ofRepository(KEY, URL, null, "", "", Map.of()))
                .isNotEqualTo(CacheScope.ofRepository(KEY, URL, null, "null", "null", Map.of()));
    }

    @Test
    void repositoriesWhosePathsDifferOnlyInCaseHaveScopesOfTheirOwn() {
        assertThat(CacheScope.ofRepository(KEY, "https://git.example.com/Foo/site", null, null, null, Map.of()))
                .isNotEqualTo(
                        CacheScope.ofRepository(KEY, "https://git.example.com/foo/site", null, null, null, Map.of()));
    }

    @Test
    void theHostsCaseATrailingSlashAndDotGitNameTheSameRepository() {
        CacheScope plain = CacheScope.ofRepository(KEY, "https://github.com/Someone/site", null, null, null, Map.of());

        assertThat(CacheScope.ofRepository(KEY, "https://GitHub.com/Someone/site.git", null, null, null, Map.of()))
                .isEqualTo(plain);
        assertThat(CacheScope.ofRepository(KEY, " https://github.com/Someone/site/ ", null, null, null, Map.of()))
                .isEqualTo(plain);
    }

    @Test
    void anotherKeyNamesAnotherScope() {
        SecretKey other = new SecretKeySpec(new byte[] {1}, "HmacSHA256");

        assertThat(CacheScope.ofRepository(other, URL, null, null, null, Map.of()))
                .isNotEqualTo(CacheScope.ofRepository(KEY, URL, null, null, null, Map.of()));
    }
}
