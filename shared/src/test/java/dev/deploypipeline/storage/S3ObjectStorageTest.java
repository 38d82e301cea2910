package dev.deploypipeline.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploypipeline.testing.S3Server;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3ObjectStorageTest {

    private S3ObjectStorage storage;

    @BeforeEach
    void freshBucket() {
        storage = new S3ObjectStorage(S3Server.shared().newBucket());
        storage.ensureBucket();
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void servicesStartingTogetherAllFindTheBucketTheyRacedToCreate() throws Exception {
        S3Settings fresh = S3Server.shared().newBucket();
        List<S3ObjectStorage> services = List.of(
                new S3ObjectStorage(fresh),
                new S3ObjectStorage(fresh),
                new S3ObjectStorage(fresh),
                new S3ObjectStorage(fresh));
        ExecutorService starting = Executors.newFixedThreadPool(services.size());
        try {
            List<Future<?>> started = new ArrayList<>();
            services.forEach(service -> started.add(starting.submit(service::ensureBucket)));
            for (Future<?> start : started) {
                start.get(30, TimeUnit.SECONDS);
            }
            assertThat(services.get(0).list("")).isEmpty();
        } finally {
            starting.shutdownNow();
            services.forEach(S3ObjectStorage::close);
        }
    }

    @Test
    void ensureBucketIsHarmlessWhenTheBucketExists() {
        storage.ensureBucket();

        assertThat(storage.list("")).isEmpty();
    }

    @Test
    void storesManyObjectsInParallelAndListsThemWithTheirSizesAndWhenTheyWereStored() {
        Instant before = Instant.now();
        List<ObjectUpload> uploads = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            uploads.add(text("output/site/file-" + i + ".txt", "content " + i));
        }

        storage.putAll(uploads);

        assertThat(storage.list("output/site/"))
                .hasSize(40)
                .filteredOn(object -> object.key().equals("output/site/file-7.txt"))
                .singleElement()
                .satisfies(object -> {
                    assertThat(object.size()).isEqualTo("content 7".length());
                    assertThat(object.lastModified())
                            .isBetween(before.minusSeconds(60), Instant.now().plusSeconds(60));
                });
    }

    @Test
    void storesASmallAndALargeObjectByteForByteUnderTheirTypes() throws IOException {
        byte[] small = random(4096, 1);
        byte[] large = random(3 * 1024 * 1024 + 17, 2);
        storage.putAll(List.of(
                new ObjectUpload("dist/x/small.bin", small.length, "image/png", () -> new ByteArrayInputStream(small)),
                new ObjectUpload(
                        "dist/x/large.bin", large.length, "video/mp4", () -> new ByteArrayInputStream(large))));

        try (StoredObject object = storage.open("dist/x/small.bin").orElseThrow()) {
            assertThat(object.contentType()).isEqualTo("image/png");
            assertThat(object.body().readAllBytes()).isEqualTo(small);
        }
        try (StoredObject object = storage.open("dist/x/large.bin").orElseThrow()) {
            assertThat(object.contentType()).isEqualTo("video/mp4");
            assertThat(object.body().readAllBytes()).isEqualTo(large);
        }
    }

    @Test
    void anObjectWhoseContentIsNotItsAnnouncedLengthIsNotStored() {
        assertThatThrownBy(() -> storage.putAll(
                        List.of(new ObjectUpload("dist/x/short.bin", 10, "image/png", () -> bytes("12345")))))
                .hasMessageContaining("dist/x/short.bin");
        assertThatThrownBy(() -> storage.putAll(
                        List.of(new ObjectUpload("dist/x/long.bin", 3, "image/png", () -> bytes("12345")))))
                .hasMessageContaining("dist/x/long.bin");

        assertThat(storage.list("dist/x/")).isEmpty();
    }

    @Test
    void copiesObjectsWithinTheBucketByteForByteUnderTheCopysType() throws IOException {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        storage.putAll(List.of(
                new ObjectUpload(
                        "output/x/logo.png",
                        256,
                        "application/octet-stream",
                        () -> new java.io.ByteArrayInputStream(everyByte)),
                text("output/x/index.html", "<p/>")));

        storage.copyAll(List.of(
                new ObjectCopy("output/x/logo.png", "dist/x/logo.png", "image/png"),
                new ObjectCopy("output/x/index.html", "dist/x/index.html", "text/html; charset=utf-8")));

        try (StoredObject logo = storage.open("dist/x/logo.png").orElseThrow()) {
            assertThat(logo.contentType()).isEqualTo("image/png");
            assertThat(logo.body().readAllBytes()).isEqualTo(everyByte);
        }
        assertThat(storage.head("dist/x/index.html").orElseThrow().contentType())
                .isEqualToIgnoringWhitespace("text/html; charset=utf-8");
        assertThat(storage.head("output/x/logo.png").orElseThrow().contentType())
                .isEqualTo("application/octet-stream");
    }

    @Test
    void copyOfAMissingObjectFails() {
        assertThatThrownBy(() -> storage.copyAll(List.of(new ObjectCopy("output/x/none", "dist/x/none", "text/plain"))))
                .isInstanceOf(RuntimeException.class);
        assertThat(storage.list("dist/x/")).isEmpty();
    }

    @Test
    void opensAnObjectWithItsContentType() throws IOException {
        storage.putAll(List.of(new ObjectUpload("dist/x/index.html", 5, "text/html", () -> bytes("<p/>\n"))));

        try (StoredObject object = storage.open("dist/x/index.html").orElseThrow()) {
            assertThat(object.contentType()).startsWith("text/html");
            assertThat(object.length()).isEqualTo(5);
            assertThat(new String(object.body().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("<p/>\n");
        }
        assertThat(storage.open("dist/x/missing.html")).isEmpty();
    }

    @Test
    void headTellsLengthTypeAndETagWithoutTheBody() throws IOException {
        storage.putAll(
                List.of(new ObjectUpload("dist/x/app.css", 9, "text/css; charset=utf-8", () -> bytes("a{b:c}\n\n\n"))));

        ObjectMetadata metadata = storage.head("dist/x/app.css").orElseThrow();

        assertThat(metadata.length()).isEqualTo(9);
        assertThat(metadata.contentType()).isEqualTo("text/css; charset=utf-8");
        try (StoredObject object = storage.open("dist/x/app.css").orElseThrow()) {
            assertThat(metadata.eTag()).isNotBlank().isEqualTo(object.eTag());
        }
        assertThat(storage.head("dist/x/missing.css")).isEmpty();
    }

    @Test
    void opensOnlyTheAskedRangeOfAnObject() throws IOException {
        storage.putAll(List.of(text("dist/x/digits.txt", "0123456789")));

        try (StoredObject part = storage.open("dist/x/digits.txt", 2, 5).orElseThrow()) {
            assertThat(part.length()).isEqualTo(4);
            assertThat(new String(part.body().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("2345");
        }
        assertThat(storage.open("dist/x/other.txt", 0, 1)).isEmpty();
    }

    @Test
    void closingABodyBeforeItsEndLeavesTheStorageUsable() throws IOException {
        byte[] large = new byte[4 * 1024 * 1024];
        storage.putAll(List.of(new ObjectUpload(
                "dist/x/video.mp4", large.length, "video/mp4", () -> new java.io.ByteArrayInputStream(large))));

        for (int i = 0; i < 20; i++) {
            try (StoredObject object = storage.open("dist/x/video.mp4").orElseThrow()) {
                assertThat(object.body().readNBytes(16)).hasSize(16);
            }
        }

        try (StoredObject object = storage.open("dist/x/video.mp4").orElseThrow()) {
            assertThat(object.body().readAllBytes()).hasSize(large.length);
        }
    }

    @Test
    void downloadsAPrefixIntoAFolderKeepingThePaths(@TempDir Path target) throws IOException {
        storage.putAll(List.of(
                text("output/a/index.html", "home"),
                text("output/a/assets/app.js", "js"),
                text("output/b/other.txt", "not mine")));

        storage.downloadAll("output/a/", target, 1024);

        assertThat(Files.readString(target.resolve("index.html"))).isEqualTo("home");
        assertThat(Files.readString(target.resolve("assets/app.js"))).isEqualTo("js");
        assertThat(target.resolve("other.txt")).doesNotExist();
    }

    @Test
    void refusesADownloadLargerThanItsLimitBeforeWritingAnything(@TempDir Path target) throws IOException {
        storage.putAll(List.of(text("output/a/one.txt", "x".repeat(600)), text("output/a/two.txt", "y".repeat(600))));

        assertThatThrownBy(() -> storage.downloadAll("output/a/", target, 1000))
                .isInstanceOf(TooLargeException.class)
                .hasMessageContaining("hold 1200 bytes, more than the 1000 allowed");
        try (var written = Files.list(target)) {
            assertThat(written).isEmpty();
        }
    }

    @Test
    void uploadsAFileButNeverTheTargetOfALinkPutInItsPlace(@TempDir Path folder) throws IOException {
        Path secret = Files.writeString(folder.resolve("secret"), "root's");
        Path file = Files.writeString(folder.resolve("page.html"), "page");
        ObjectUpload upload = ObjectUpload.ofFile("dist/x/page.html", file, "text/html");
        Files.delete(file);
        Files.createSymbolicLink(file, secret); // swapped after it was measured, before it is read

        assertThatThrownBy(() -> storage.putAll(List.of(upload))).rootCause().hasMessageContaining("symbolic links");
        assertThat(storage.open("dist/x/page.html")).isEmpty();
    }

    @Test
    void deletesEverythingUnderAPrefixAndNothingElse() {
        storage.putAll(List.of(text("dist/a/1", "1"), text("dist/a/sub/2", "2"), text("dist/ab/3", "3")));

        storage.deleteAll("dist/a/");

        assertThat(storage.list("dist/")).extracting(StoredObjectInfo::key).containsExactly("dist/ab/3");
    }

    @Test
    void deletesOneObjectAndNotThoseItsKeyBegins() {
        storage.putAll(List.of(text("cache/a.tgz", "1"), text("cache/a.tgz.old", "2")));

        storage.delete("cache/a.tgz");
        storage.delete("cache/missing.tgz");

        assertThat(storage.list("cache/")).extracting(StoredObjectInfo::key).containsExactly("cache/a.tgz.old");
    }

    private static ObjectUpload text(String key, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        return new ObjectUpload(key, data.length, "text/plain", () -> new java.io.ByteArrayInputStream(data));
    }

    private static java.io.InputStream bytes(String content) {
        return new java.io.ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] random(int length, long seed) {
        byte[] content = new byte[length];
        new Random(seed).nextBytes(content);
        return content;
    }
}
