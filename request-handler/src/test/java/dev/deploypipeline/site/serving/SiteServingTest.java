package dev.deploypipeline.site.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.site.Pipeline;
import dev.deploypipeline.site.RunningHandler;
import dev.deploypipeline.site.SiteClient;
import dev.deploypipeline.site.SiteFile;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;

/** Sites served by deployment id, through real HTTP, from S3Proxy and a real Redis. */
class SiteServingTest extends RunningHandler {

    private static final String SECRET = "the other deployment's secret";

    private static DeploymentId vite;
    private static DeploymentId other;

    @BeforeAll
    static void deployTheViteApp() {
        List<SiteFile> files = new ArrayList<>(SiteFile.viteBuild("Vite + React"));
        files.add(SiteFile.html("docs/index.html", "<h1>Docs</h1>"));
        vite = Pipeline.shared().deployed(files);
        other = Pipeline.shared().deployed(List.of(SiteFile.text("secret.txt", "text/plain", SECRET)));
    }

    @Test
    void servesEachFileOfAViteBuildWithTheTypeItWasStoredWith() {
        for (SiteFile file : SiteFile.viteBuild("Vite + React")) {
            HttpResponse<byte[]> response = client.get(host(vite), "/" + file.path());

            assertThat(response.statusCode()).as(file.path()).isEqualTo(200);
            assertThat(MediaType.parseMediaType(contentType(response)))
                    .as(file.path())
                    .isEqualTo(MediaType.parseMediaType(file.contentType()));
            assertThat(response.body()).as(file.path()).isEqualTo(file.content());
        }
    }

    @Test
    void rootAndFoldersServeTheirIndexAndAFolderWithoutItsSlashIsRedirected() {
        assertThat(client.text(host(vite), "/")).contains("<title>Vite + React</title>");
        assertThat(client.text(host(vite), "/docs/")).isEqualTo("<h1>Docs</h1>");

        HttpResponse<byte[]> bare = client.get(host(vite), "/docs?page=2");
        assertThat(bare.statusCode()).isEqualTo(301);
        assertThat(bare.headers().firstValue("Location")).contains("/docs/?page=2");
    }

    @Test
    void hashedAssetsAreCachedForAYearAndEverythingElseIsRevalidated() {
        assertThat(cacheControl(client.get(host(vite), "/assets/index-GpEN3EET.js")))
                .isEqualTo("public, max-age=31536000, immutable");
        assertThat(cacheControl(client.get(host(vite), "/assets/index-D8b4DwTb.css")))
                .isEqualTo("public, max-age=31536000, immutable");
        assertThat(cacheControl(client.get(host(vite), "/"))).isEqualTo("no-cache");
        assertThat(cacheControl(client.get(host(vite), "/index.html"))).isEqualTo("no-cache");
        assertThat(cacheControl(client.get(host(vite), "/vite.svg"))).isEqualTo("no-cache");
    }

    @Test
    void fileWhoseKeyIsAtS3sLimitIsServedThoughItsFolderIndexWouldPassIt() {
        // dist/{id}/ is 22 bytes: with this 1002-byte path the file's key is 1024, the longest S3 stores
        String path = ("f".repeat(199) + "/").repeat(4) + "l".repeat(197) + ".html";
        DeploymentId site = Pipeline.shared().deployed(List.of(SiteFile.html(path, "at the limit")));
        String missing = path.substring(0, path.length() - 1);

        assertThat(client.text(host(site), "/" + path)).isEqualTo("at the limit");
        assertThat(client.get(host(site), "/" + missing).statusCode()).isEqualTo(404);
    }

    @Test
    void missingFileIsAPlain404() {
        HttpResponse<byte[]> response = client.get(host(vite), "/nope.html");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(contentType(response)).startsWith("text/html");
        assertThat(text(response)).contains("could not be found");
    }

    @Test
    void missingFileGetsTheSitesOwn404PageWithStatus404() {
        DeploymentId withPage = pipeline.deployed(List.of(
                SiteFile.html("index.html", "home"), SiteFile.html("404.html", "<h1>Lost? Try the home page</h1>")));

        HttpResponse<byte[]> response = client.get(host(withPage), "/no/such/page");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(text(response)).isEqualTo("<h1>Lost? Try the home page</h1>");
        assertThat(MediaType.parseMediaType(contentType(response))).isEqualTo(MediaType.parseMediaType(SiteFile.HTML));
    }

    @Test
    void matchingIfNoneMatchGets304WithoutABody() {
        HttpResponse<byte[]> first = client.get(host(vite), "/assets/index-GpEN3EET.js");
        String eTag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> again = client.get(host(vite), "/assets/index-GpEN3EET.js", "If-None-Match", eTag);
        HttpResponse<byte[]> changed =
                client.get(host(vite), "/assets/index-GpEN3EET.js", "If-None-Match", "\"something-else\"");

        assertThat(eTag).startsWith("\"");
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers().firstValue("ETag")).contains(eTag);
        assertThat(changed.statusCode()).isEqualTo(200);
    }

    @Test
    void headAnswersTheHeadersOfAGetWithoutTheBody() {
        HttpResponse<byte[]> get = client.get(host(vite), "/favicon.png");
        HttpResponse<byte[]> head = client.head(host(vite), "/favicon.png");

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).contains(Integer.toString(get.body().length));
        for (String name : List.of("Content-Type", "ETag", "Cache-Control", "Accept-Ranges")) {
            assertThat(head.headers().firstValue(name))
                    .as(name)
                    .isEqualTo(get.headers().firstValue(name))
                    .isPresent();
        }
    }

    @Test
    void rangeGets206WithTheAskedBytesAndContentRange() {
        byte[] png = client.get(host(vite), "/favicon.png").body();

        HttpResponse<byte[]> middle = client.get(host(vite), "/favicon.png", "Range", "bytes=2-5");
        HttpResponse<byte[]> suffix = client.get(host(vite), "/favicon.png", "Range", "bytes=-4");
        HttpResponse<byte[]> open = client.get(host(vite), "/favicon.png", "Range", "bytes=260-");

        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.body()).containsExactly(png[2], png[3], png[4], png[5]);
        assertThat(middle.headers().firstValue("Content-Range")).contains("bytes 2-5/" + png.length);
        assertThat(middle.headers().firstValue("Content-Type")).contains(SiteFile.PNG);
        assertThat(suffix.headers().firstValue("Content-Range")).contains("bytes 260-263/264");
        assertThat(suffix.body()).hasSize(4);
        assertThat(open.statusCode()).isEqualTo(206);
        assertThat(open.body()).hasSize(4);
    }

    @Test
    void rangeOutsideTheFileGets416WithItsLength() {
        HttpResponse<byte[]> response = client.get(host(vite), "/favicon.png", "Range", "bytes=264-300");

        assertThat(response.statusCode()).isEqualTo(416);
        assertThat(response.headers().firstValue("Content-Range")).contains("bytes */264");
    }

    @Test
    void rangeIsIgnoredWhenIfRangeNoLongerMatchesOrSeveralRangesAreAsked() {
        HttpResponse<byte[]> stale =
                client.get(host(vite), "/favicon.png", "Range", "bytes=0-1", "If-Range", "\"an-older-version\"");
        HttpResponse<byte[]> several = client.get(host(vite), "/favicon.png", "Range", "bytes=0-1,4-5");

        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).hasSize(264);
        assertThat(several.statusCode()).isEqualTo(200);
        assertThat(several.body()).hasSize(264);
    }

    @Test
    void siteThatIsNotDeployedYetIs404() {
        DeploymentId uploading = pipeline.uploaded(null, SiteFile.viteBuild("half there"));
        DeploymentId building = pipeline.uploaded(null, SiteFile.viteBuild("half there"));
        pipeline.transitions().start(building, "");

        for (DeploymentId id : List.of(uploading, building)) {
            HttpResponse<byte[]> response = client.get(host(id), "/");
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(text(response)).contains("no site at this address").doesNotContain("half there");
        }
    }

    @Test
    void unknownHostsGetASmall404Page() {
        for (String host : List.of(
                host(DeploymentId.random()),
                "no-such-project.localhost",
                vite + ".example.com",
                "deep." + vite + ".localhost",
                "localhost",
                "127.0.0.1")) {
            HttpResponse<byte[]> response = client.get(host, "/");
            assertThat(response.statusCode()).as(host).isEqualTo(404);
            assertThat(text(response)).as(host).contains("no site at this address");
        }
    }

    @Test
    void hostMatchesWhateverItsCaseItsPortOrATrailingDot() {
        for (String host : List.of(vite + ".LocalHost", vite + ".localhost:3001", vite + ".localhost.")) {
            assertThat(client.text(host, "/")).as(host).contains("<title>Vite + React</title>");
        }
    }

    @Test
    void singlePageAppFallbackServesIndexForUnknownPaths() {
        ProjectName app = pipeline.project("router-app", true);
        DeploymentId id = pipeline.deployed(app, SiteFile.viteBuild("Router app"));

        HttpResponse<byte[]> route = client.get(host(id), "/users/42/settings");

        assertThat(route.statusCode()).isEqualTo(200);
        assertThat(text(route)).contains("<title>Router app</title>");
        assertThat(cacheControl(route)).isEqualTo("no-cache");
        assertThat(client.get(host(id), "/assets/index-GpEN3EET.js").headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/javascript"));
        assertThat(client.get(host(vite), "/users/42/settings").statusCode()).isEqualTo(404);
    }

    @Test
    void siteCanOnlyBeRead() {
        assertThat(client.send("POST", host(vite), "/").statusCode()).isEqualTo(405);
        assertThat(client.send("DELETE", host(vite), "/index.html").statusCode())
                .isEqualTo(405);
    }

    @Test
    void healthAnswersOnTheBareHost() {
        HttpResponse<byte[]> health = client.get("localhost:" + port(), "/actuator/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(text(health)).contains("UP");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/../{other}/secret.txt",
                "/assets/../../{other}/secret.txt",
                "/%2e%2e/{other}/secret.txt",
                "/%2E%2E/%2E%2E/dist/{other}/secret.txt",
                "/..%2f{other}%2fsecret.txt",
                "/%2e%2e%2f{other}%2fsecret.txt",
                "/..%5c{other}%5csecret.txt",
                "/..\\{other}\\secret.txt",
                "/%252e%252e/{other}/secret.txt",
                "/%252e%252e%252f{other}%252fsecret.txt",
                "/./../{other}/secret.txt",
                "//{other}/secret.txt",
                "/assets/%00/../../{other}/secret.txt",
                "/%c0%ae%c0%ae/{other}/secret.txt",
            })
    void pathsThatTryToLeaveTheSiteAreRefused(String target) {
        SiteClient.RawResponse response = client.raw(host(vite), target.replace("{other}", other.value()));

        assertThat(response.status()).as(target).isIn(400, 404);
        assertThat(response.text()).as(target).doesNotContain(SECRET);
    }

    @Test
    void theSecretIsThereForItsOwnSite() {
        assertThat(client.raw(host(other), "/secret.txt").text()).contains(SECRET);
    }

    private static String host(DeploymentId id) {
        return id + ".localhost";
    }

    private static String contentType(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    private static String cacheControl(HttpResponse<?> response) {
        return response.headers().firstValue("Cache-Control").orElse("");
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
