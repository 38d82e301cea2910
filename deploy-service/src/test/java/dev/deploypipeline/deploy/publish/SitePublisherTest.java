package dev.deploypipeline.deploy.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.spy;

import dev.deploypipeline.deploy.builder.BuildFailedException;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.storage.ObjectStorage;
import dev.deploypipeline.storage.ObjectUpload;
import dev.deploypipeline.storage.S3ObjectStorage;
import dev.deploypipeline.storage.StoredObject;
import dev.deploypipeline.storage.StoredObjectInfo;
import dev.deploypipeline.testing.BoundSettings;
import dev.deploypipeline.testing.S3Server;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import software.amazon.awssdk.core.exception.SdkClientException;

@ExtendWith(OutputCaptureExtension.class)
class SitePublisherTest {

    /** The attempt owns its deployment throughout. */
    private static final BooleanSupplier OWNED = () -> true;

    private final DeploymentId id = DeploymentId.random();
    private S3ObjectStorage storage;
    private SitePublisher publisher;

    @TempDir
    Path output;

    @BeforeEach
    void freshBucket() {
        storage = new S3ObjectStorage(S3Server.shared().newBucket());
        storage.ensureBucket();
        publisher = new SitePublisher(storage, BoundSettings.of(SiteLimits.class));
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void uploadsEveryRegularFileKeyedByItsPathWithItsBytes() throws IOException {
        byte[] image = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff};
        Files.createDirectories(output.resolve("assets/img"));
        Files.writeString(output.resolve("index.html"), "<p>home</p>");
        Files.write(output.resolve("assets/img/logo.png"), image);

        int published = publisher.publishSite(id, output, OWNED);

        assertThat(published).isEqualTo(2);
        assertThat(keys()).containsExactly(site("assets/img/logo.png"), site("index.html"));
        try (StoredObject logo = storage.open(site("assets/img/logo.png")).orElseThrow()) {
            assertThat(logo.body().readAllBytes()).isEqualTo(image);
            assertThat(type(logo.contentType())).isEqualTo(type("image/png"));
        }
    }

    @Test
    void skipsSymbolicLinksInsteadOfFollowingThem(@TempDir Path elsewhere) throws IOException {
        Files.writeString(elsewhere.resolve("secret.txt"), "not part of the site");
        Files.writeString(output.resolve("index.html"), "<p>home</p>");
        Files.createSymbolicLink(output.resolve("secret.txt"), elsewhere.resolve("secret.txt"));
        Files.createSymbolicLink(output.resolve("linked-folder"), elsewhere);

        publisher.publishSite(id, output, OWNED);

        assertThat(keys()).containsExactly(site("index.html"));
    }

    @Test
    void skippedNamesAreToldInOneEscapedLineEachSoABuildCannotFloodOrForgeTheServicesLog(CapturedOutput output)
            throws IOException {
        Files.writeString(this.output.resolve("index.html"), "<p>home</p>");
        for (int n = 0; n < 2000; n++) {
            Files.createSymbolicLink(this.output.resolve("link-" + n), Path.of("/etc/passwd"));
        }
        String forged =
                "x\n2026-12-03T00:00:00.000Z  INFO 1 --- [deploy-service] OutcomeRecorder : Deployed \u001b[2J\u202e";
        Files.writeString(this.output.resolve(forged), "forged");

        publisher.publishSite(id, this.output, OWNED);

        assertThat(keys()).containsExactly(site("index.html"));
        List<String> told =
                output.getOut().lines().filter(line -> line.contains("Skipped")).toList();
        assertThat(told).hasSize(2);
        assertThat(told).anySatisfy(line -> assertThat(line).contains("Skipped 2000 symbolic links"));
        assertThat(told)
                .anySatisfy(line -> assertThat(line)
                        .contains("Skipped 1 files whose names cannot be site paths")
                        .contains("x\\u000a2026-12-03")
                        .contains("\\u001b[2J\\u202e"));
        assertThat(output.getOut()).doesNotContain("\u001b", "\u202e").doesNotContain("\nDeployed", "\n2026-12-03T00");
    }

    @Test
    void siteWithMoreFilesThanAllowedFailsBeforeAnythingIsUploaded() throws IOException {
        for (int n = 1; n <= 6; n++) {
            Files.writeString(output.resolve("page" + n + ".html"), "<p>" + n + "</p>");
        }
        SitePublisher limited =
                new SitePublisher(storage, BoundSettings.of(SiteLimits.class, Map.of("SITE_MAX_FILES", "5")));

        assertThatThrownBy(() -> limited.publishSite(id, output, OWNED))
                .isInstanceOf(BuildFailedException.class)
                .hasMessage("the site is too large: it has more than 5 files (SITE_MAX_FILES)");
        assertThat(keys()).isEmpty();
    }

    @Test
    void siteLargerThanAllowedFailsBeforeAnythingIsUploaded() throws IOException {
        Files.write(output.resolve("video.mp4"), new byte[3 * 1024 * 1024]);
        SitePublisher limited =
                new SitePublisher(storage, BoundSettings.of(SiteLimits.class, Map.of("SITE_MAX_SIZE", "2MB")));

        assertThatThrownBy(() -> limited.publishSite(id, output, OWNED))
                .isInstanceOf(BuildFailedException.class)
                .hasMessage("the site is too large: its files hold more than 2MB (SITE_MAX_SIZE)");
        assertThat(keys()).isEmpty();
    }

    @Test
    void publishingAgainLeavesNoFileOfTheEarlierAttempt() throws IOException {
        storage.putAll(List.of(new ObjectUpload(
                site("old.html"),
                3,
                "text/html",
                () -> new ByteArrayInputStream("old".getBytes(StandardCharsets.UTF_8)))));
        Files.writeString(output.resolve("index.html"), "<p>new</p>");

        publisher.publishSite(id, output, OWNED);

        assertThat(keys()).containsExactly(site("index.html"));
    }

    @Test
    void aPublishThatBreaksOffLeavesTheFilesAnEarlierAttemptPublishedInPlace() throws IOException {
        Files.writeString(output.resolve("index.html"), "<p>published</p>");
        publisher.publishSite(id, output, OWNED);
        ObjectStorage breaking = spy(storage);
        doThrow(SdkClientException.create("connection reset")).when(breaking).putAll(anyCollection());
        Files.writeString(output.resolve("index.html"), "<p>again</p>");

        assertThatThrownBy(() ->
                        new SitePublisher(breaking, BoundSettings.of(SiteLimits.class)).publishSite(id, output, OWNED))
                .isInstanceOf(SdkClientException.class);

        assertThat(keys()).containsExactly(site("index.html"));
        try (StoredObject index = storage.open(site("index.html")).orElseThrow()) {
            assertThat(new String(index.body().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("<p>published</p>");
        }
    }

    @Test
    void aBuilderThatLostTheDeploymentWhileItWroteLeavesTheFilesOfTheOneThatTookOver() throws IOException {
        Files.createDirectories(output.resolve("assets"));
        Files.writeString(output.resolve("index.html"), "<script src=assets/b.js></script>");
        Files.writeString(output.resolve("assets/b.js"), "b");
        publisher.publishSite(id, output, OWNED);
        Files.delete(output.resolve("assets/b.js"));
        Files.writeString(output.resolve("index.html"), "<script src=assets/a.js></script>");
        Files.writeString(output.resolve("assets/a.js"), "a");

        publisher.publishSite(id, output, () -> false);

        assertThat(keys()).containsExactly(site("assets/a.js"), site("assets/b.js"), site("index.html"));
    }

    @Test
    void storesTheBuildLogAsUtf8Text(@TempDir Path workspace) throws IOException {
        Path buildLog = Files.writeString(workspace.resolve("build.log"), "$ npm run build\ndone\n");

        publisher.publishLog(id, buildLog);

        try (StoredObject stored = storage.open(ObjectKeys.log(id)).orElseThrow()) {
            assertThat(type(stored.contentType())).isEqualTo(type("text/plain; charset=utf-8"));
            assertThat(new String(stored.body().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("$ npm run build\ndone\n");
        }
    }

    private List<String> keys() {
        return storage.list(ObjectKeys.site(id)).stream()
                .map(StoredObjectInfo::key)
                .toList();
    }

    private String site(String path) {
        return ObjectKeys.site(id) + path;
    }

    private static MediaType type(String contentType) {
        return MediaType.parseMediaType(contentType);
    }
}
