package dev.deploypipeline.deploy.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deploy.worker.TestPipeline.Builds;
import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.storage.ObjectKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;

/**
 * A deployment with nothing to build is published by copying its stored sources within the bucket: no sandbox,
 * no download, the same files with the same types and the same limits as a site published from a build.
 */
class StaticFastPathTest {

    @RegisterExtension
    static final TestPipeline pipeline = new TestPipeline();

    private final RecordingListener listener = new RecordingListener();

    @TempDir
    Path workDir;

    @Test
    void staticSiteIsCopiedWithinTheBucketByteForByteWithEachFilesType() {
        byte[] everyByte = new byte[256 * 64];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("index.html", "<h1>Hällo</h1>\n".getBytes(StandardCharsets.UTF_8));
        files.put("css/site.css", "h1 { color: tomato }\n".getBytes(StandardCharsets.UTF_8));
        files.put("assets/app-3f9a1c.js", "console.log(1)\n".getBytes(StandardCharsets.UTF_8));
        files.put("images/logo.png", everyByte);
        files.put("fonts/a b.woff2", new byte[] {0, 1, 2, (byte) 0xff});
        DeploymentId id = pipeline.uploadedBytes(files, BuildSettings.NONE);

        deploy(id, Builds.DEFAULT);

        assertThat(pipeline.state(id)).isEqualTo(DeploymentState.DEPLOYED);
        String site = ObjectKeys.site(id);
        assertThat(pipeline.keys(site))
                .containsExactlyInAnyOrderElementsOf(
                        files.keySet().stream().map(path -> site + path).toList());
        files.forEach((path, bytes) ->
                assertThat(pipeline.bytes(site + path)).as(path).isEqualTo(bytes));
        assertThat(pipeline.contentType(site + "index.html")).isEqualTo(type("text/html; charset=utf-8"));
        assertThat(pipeline.contentType(site + "css/site.css")).isEqualTo(type("text/css; charset=utf-8"));
        assertThat(pipeline.contentType(site + "assets/app-3f9a1c.js"))
                .isEqualTo(type("text/javascript; charset=utf-8"));
        assertThat(pipeline.contentType(site + "images/logo.png")).isEqualTo(type("image/png"));
        assertThat(pipeline.contentType(site + "fonts/a b.woff2")).isEqualTo(type("font/woff2"));
        assertThat(pipeline.storedLog(id))
                .contains("Copied 5 files", "Published the site")
                .noneMatch(line -> line.startsWith("Running ")); // no sandbox was opened
        assertThat(pipeline.keys(ObjectKeys.sources(id))).hasSize(5);
        assertThat(workDir).isEmptyDirectory();
    }

    @Test
    void packageJsonWithoutABuildScriptIsCopiedAsItIsWithTheSite() {
        DeploymentId id = pipeline.uploaded(Map.of(
                "package.json", "{\"name\": \"plain\", \"scripts\": {\"test\": \"exit 1\"}}",
                "index.html", "plain"));

        deploy(id, Builds.DEFAULT);

        String site = ObjectKeys.site(id);
        assertThat(pipeline.keys(site)).containsExactlyInAnyOrder(site + "package.json", site + "index.html");
        assertThat(pipeline.storedLog(id)).contains("Copied 2 files");
    }

    @Test
    void outputDirectoryInsideTheRootDirectoryIsTheSiteKeyedFromThere() {
        DeploymentId id = pipeline.uploaded(
                Map.of(
                        "README.md", "the site is in web/public",
                        "web/notes.txt", "not published",
                        "web/public/index.html", "home",
                        "web/public/docs/guide.html", "guide",
                        "web/publicity.html", "a sibling, not inside the folder"),
                new BuildSettings("./web/", null, null, "public/", Map.of()),
                null);

        deploy(id, Builds.DEFAULT);

        String site = ObjectKeys.site(id);
        assertThat(pipeline.keys(site)).containsExactlyInAnyOrder(site + "index.html", site + "docs/guide.html");
        assertThat(pipeline.text(site + "docs/guide.html")).isEqualTo("guide");
        assertThat(pipeline.storedLog(id)).contains("Copied 2 files");
    }

    @Test
    void staticSiteWithMoreFilesThanAllowedFailsBeforeAnythingIsCopied() {
        DeploymentId id = pipeline.uploaded(Map.of("a.html", "a", "b.html", "b", "c.html", "c"));

        deploy(id, Builds.DEFAULT.with("site.max-files", "2"));

        assertThat(pipeline.deployment(id).error())
                .isEqualTo("the site is too large: it has more than 2 files (SITE_MAX_FILES)");
        assertThat(pipeline.keys(ObjectKeys.site(id))).isEmpty();
        assertThat(pipeline.storedLog(id))
                .contains("Failed: the site is too large: it has more than 2 files" + " (SITE_MAX_FILES)");
    }

    @Test
    void staticSiteLargerThanAllowedFailsFromItsListedSizesBeforeAnythingIsCopied() {
        DeploymentId id = pipeline.uploaded(Map.of("index.html", "x".repeat(1500), "more.html", "y".repeat(1500)));

        deploy(id, Builds.DEFAULT.with("site.max-size", "2KB"));

        assertThat(pipeline.deployment(id).error())
                .isEqualTo("the site is too large: its files hold more than 2KB (SITE_MAX_SIZE)");
        assertThat(pipeline.keys(ObjectKeys.site(id))).isEmpty();
    }

    @Test
    void appWithABuildScriptIsBuiltNotCopied() {
        DeploymentId id = pipeline.uploaded(Map.of("package.json", """
                {"name": "built", "version": "1.0.0", "private": true,
                 "scripts": {"build": "mkdir -p dist && echo built > dist/index.html"}}
                """));

        deploy(id, Builds.DEFAULT);

        assertThat(pipeline.keys(ObjectKeys.site(id))).containsExactly(ObjectKeys.site(id) + "index.html");
        assertThat(pipeline.storedLog(id)).contains("$ npm run build").doesNotContain("Copied 1 files");
    }

    @Test
    void installCommandOfAStaticSiteStillRunsInTheSandbox() {
        DeploymentId id = pipeline.uploaded(
                Map.of("index.html", "before"),
                new BuildSettings(null, "echo after > index.html", null, null, Map.of()),
                null);

        deploy(id, Builds.DEFAULT);

        assertThat(pipeline.text(ObjectKeys.site(id) + "index.html")).isEqualTo("after\n");
    }

    @Test
    void publishingLogsLeftByAKilledReplicaAreSweptWhileFreshOnesAndOtherFilesStay(@TempDir Path elsewhere)
            throws IOException {
        Instant now = Instant.now();
        Path left = Files.writeString(workDir.resolve("dpl-old-123" + StaticFastPath.LOG_SUFFIX), "left");
        Files.setLastModifiedTime(left, FileTime.from(now.minus(Duration.ofHours(2))));
        Path running = Files.writeString(workDir.resolve("dpl-new-456" + StaticFastPath.LOG_SUFFIX), "running");
        Path other = Files.writeString(workDir.resolve("notes.log"), "not a publishing log");
        Files.setLastModifiedTime(other, FileTime.from(now.minus(Duration.ofHours(2))));
        Path outside = Files.writeString(elsewhere.resolve("outside.txt"), "kept");
        Path link = Files.createSymbolicLink(workDir.resolve("link" + StaticFastPath.LOG_SUFFIX), outside);

        int removed = StaticFastPath.sweepLeftLogs(workDir, now.minus(Duration.ofHours(1)));

        assertThat(removed).isEqualTo(1);
        assertThat(left).doesNotExist();
        assertThat(running).hasContent("running");
        assertThat(other).hasContent("not a publishing log");
        assertThat(link).isSymbolicLink();
        assertThat(outside).hasContent("kept");
        assertThat(StaticFastPath.sweepLeftLogs(workDir.resolve("missing"), now))
                .isZero();
    }

    private void deploy(DeploymentId id, Builds builds) {
        pipeline.enqueue(id);
        pipeline.startPool("replica-a", 1, workDir, Duration.ofSeconds(10), listener, builds);
        await().atMost(Duration.ofSeconds(90)).until(() -> listener.ids().contains(id));
    }

    private static MediaType type(String contentType) {
        return MediaType.parseMediaType(contentType);
    }
}
