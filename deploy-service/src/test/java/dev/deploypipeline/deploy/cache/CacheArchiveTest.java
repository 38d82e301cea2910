package dev.deploypipeline.deploy.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploypipeline.deploy.cache.CacheContents.CachedFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cache entry packed from what a hostile build left in its store, and unpacked from what a hostile entry holds:
 * nothing is read through a link, nothing is written outside the cached folders, and both stop at their bound.
 */
class CacheArchiveTest {

    private static final CacheArchive.Bounds BOUND = new CacheArchive.Bounds(10_000_000, 100_000);
    private static final BooleanSupplier GO_ON = () -> false;

    @TempDir
    Path build;

    @TempDir
    Path elsewhere;

    private Path home;
    private List<CachedFolder> folders;

    @org.junit.jupiter.api.BeforeEach
    void store() throws IOException {
        home = Files.createDirectories(build.resolve("home"));
        folders = List.of(new CachedFolder("home/.npm/_cacache", home, ".npm/_cacache"));
    }

    @Test
    void packedStoreComesBackWithItsFilesAndTheirExecutableBit() throws IOException {
        Path store = Files.createDirectories(home.resolve(".npm/_cacache/content"));
        Files.writeString(store.resolve("a"), "package bytes");
        Files.writeString(store.resolve("bin"), "#!/bin/sh");
        store.resolve("bin").toFile().setExecutable(true, false);
        Path archive = build.resolve("entry.tgz");

        CacheArchive.Size packed = CacheArchive.pack(folders, archive, BOUND);
        org.springframework.util.FileSystemUtils.deleteRecursively(home.resolve(".npm"));
        CacheArchive.Size unpacked = CacheArchive.unpack(archive, folders, BOUND, GO_ON);

        assertThat(packed.files()).isEqualTo(2);
        assertThat(unpacked.files()).isEqualTo(2);
        assertThat(store.resolve("a")).hasContent("package bytes");
        assertThat(Files.isExecutable(store.resolve("bin"))).isTrue();
    }

    @Test
    void packingLeavesOutLinksToFilesAndFoldersOutsideTheBuild() throws IOException {
        Path secret = Files.writeString(elsewhere.resolve("shadow"), "root:secret");
        Files.createDirectories(elsewhere.resolve("etc"));
        Files.writeString(elsewhere.resolve("etc/passwd"), "root:x:0:0");
        Path store = Files.createDirectories(home.resolve(".npm/_cacache"));
        Files.writeString(store.resolve("real"), "kept");
        Files.createSymbolicLink(store.resolve("leak"), secret);
        Files.createSymbolicLink(store.resolve("etc"), elsewhere.resolve("etc"));
        Path archive = build.resolve("entry.tgz");

        CacheArchive.pack(folders, archive, BOUND);

        assertThat(namesIn(archive)).containsExactlyInAnyOrder("home/.npm/_cacache/", "home/.npm/_cacache/real");
        assertThat(contentOf(archive)).doesNotContain("root:secret").doesNotContain("root:x:0:0");
    }

    @Test
    void aStoreReachedThroughALinkedParentIsNotPackedAtAll() throws IOException {
        Files.createDirectories(elsewhere.resolve("_cacache"));
        Files.writeString(elsewhere.resolve("_cacache/host-file"), "not the build's");
        Files.createSymbolicLink(home.resolve(".npm"), elsewhere);
        Path archive = build.resolve("entry.tgz");

        CacheArchive.Size packed = CacheArchive.pack(folders, archive, BOUND);

        assertThat(packed.files()).isZero();
        assertThat(namesIn(archive)).isEmpty();
    }

    @Test
    void packingStopsPastTheBound() throws IOException {
        Path store = Files.createDirectories(home.resolve(".npm/_cacache"));
        Files.write(store.resolve("huge"), new byte[200_000]);

        assertThatThrownBy(() -> CacheArchive.pack(
                        folders, build.resolve("entry.tgz"), new CacheArchive.Bounds(100_000, 100_000)))
                .isInstanceOf(CacheArchive.TooLarge.class);
    }

    @Test
    void anEntryNamingAPathThatLeavesItsFolderIsCorruptAndWritesNothingOutside() throws IOException {
        for (String name :
                List.of("home/.npm/_cacache/../../../escaped", "/etc/cron.d/evil", "home/.npmrc", "app/package.json")) {
            Path archive = archive(name, "evil");

            assertThatThrownBy(() -> CacheArchive.unpack(archive, folders, BOUND, GO_ON))
                    .as(name)
                    .isInstanceOf(IOException.class);
        }
        assertThat(build.resolve("escaped")).doesNotExist();
        assertThat(home.resolve(".npmrc")).doesNotExist();
    }

    @Test
    void anEntryHoldingALinkIsCorrupt() throws IOException {
        Path archive = build.resolve("link.tgz");
        try (TarArchiveOutputStream tar =
                new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(archive)))) {
            TarArchiveEntry link = new TarArchiveEntry("home/.npm/_cacache/leak", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("/etc/shadow");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }

        assertThatThrownBy(() -> CacheArchive.unpack(archive, folders, BOUND, GO_ON))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("neither a folder nor a regular file");
        assertThat(home.resolve(".npm/_cacache/leak")).doesNotExist();
    }

    @Test
    void unpackingNeverWritesThroughALinkTheSourcesHold() throws IOException {
        Files.createSymbolicLink(home.resolve(".npm"), elsewhere);
        Path archive = archive("home/.npm/_cacache/planted", "evil");

        assertThatThrownBy(() -> CacheArchive.unpack(archive, folders, BOUND, GO_ON))
                .isInstanceOf(IOException.class);
        assertThat(elsewhere.resolve("_cacache")).doesNotExist();
    }

    @Test
    void unpackingStopsPastTheBound() throws IOException {
        Path archive = archive("home/.npm/_cacache/huge", "x".repeat(200_000));

        assertThatThrownBy(
                        () -> CacheArchive.unpack(archive, folders, new CacheArchive.Bounds(100_000, 100_000), GO_ON))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("more than");
    }

    @Test
    void aTruncatedEntryIsAnError() throws IOException {
        Path store = Files.createDirectories(home.resolve(".npm/_cacache"));
        byte[] random = new byte[100_000];
        new java.util.Random(1).nextBytes(random);
        Files.write(store.resolve("blob"), random);
        Path archive = build.resolve("entry.tgz");
        CacheArchive.pack(folders, archive, BOUND);
        byte[] whole = Files.readAllBytes(archive);
        Files.write(archive, java.util.Arrays.copyOf(whole, whole.length / 2));
        org.springframework.util.FileSystemUtils.deleteRecursively(home.resolve(".npm"));

        assertThatThrownBy(() -> CacheArchive.unpack(archive, folders, BOUND, GO_ON))
                .isInstanceOf(IOException.class);
    }

    @Test
    void packingStopsPastTheBoundOfFilesAndFoldersEvenWhenTheyAreEmpty() throws IOException {
        Path store = Files.createDirectories(home.resolve(".npm/_cacache"));
        for (int i = 0; i < 101; i++) {
            Files.createFile(store.resolve("empty-" + i));
        }

        assertThatThrownBy(() -> CacheArchive.pack(
                        folders, build.resolve("entry.tgz"), new CacheArchive.Bounds(BOUND.bytes(), 100)))
                .isInstanceOf(CacheArchive.TooLarge.class)
                .hasMessage("more than 100 files and folders");
    }

    @Test
    void fingerprintingStopsPastTheBoundOfFilesAndFolders() throws IOException {
        Path store = Files.createDirectories(home.resolve(".npm/_cacache"));
        for (int i = 0; i < 101; i++) {
            Files.createFile(store.resolve("empty-" + i));
        }

        assertThat(Folders.fingerprint(folders, new CacheArchive.Bounds(BOUND.bytes(), 102)))
                .isEqualTo(Folders.fingerprint(folders, BOUND));
        assertThatThrownBy(() -> Folders.fingerprint(folders, new CacheArchive.Bounds(BOUND.bytes(), 100)))
                .isInstanceOf(CacheArchive.TooLarge.class);
    }

    @Test
    void anEntryOfMoreFilesThanTheBoundIsCorruptThoughItsHeadersAreWithinTheBytes() throws IOException {
        Path archive = archive(101, "home/.npm/_cacache");

        assertThatThrownBy(
                        () -> CacheArchive.unpack(archive, folders, new CacheArchive.Bounds(BOUND.bytes(), 100), GO_ON))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("more than 100 files and folders (BUILD_CACHE_MAX_FILES)");
    }

    @Test
    void anEntryOfFoldersDeeperThanTheBoundIsCorrupt() throws IOException {
        Path archive = archive(1, "home/.npm/_cacache" + "/d".repeat(CacheArchive.Bounds.MAX_DEPTH));

        assertThatThrownBy(() -> CacheArchive.unpack(archive, folders, BOUND, GO_ON))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("deep");
    }

    @Test
    void restoringManyFilesInDeepFoldersLooksAtEachFolderOnceNotOncePerFile() throws IOException {
        // 10,000 files at the bottom of 200 one-letter folders: once per step and file, 2 million looks.
        int files = 10_000;
        String deep = "home/.npm/_cacache" + "/d".repeat(200);
        Path archive = archive(files, deep);
        MadeFolders made = new MadeFolders();

        CacheArchive.Size unpacked =
                CacheArchive.unpack(archive, folders, new CacheArchive.Bounds(100_000_000, files), GO_ON, made);

        assertThat(unpacked.files()).isEqualTo(files);
        assertThat(made.looks()).isLessThanOrEqualTo(files + deep.split("/").length);
    }

    @Test
    void unpackingEndsCutShortOnceToldToStop() throws IOException {
        Path archive = archive(1_000, "home/.npm/_cacache");
        AtomicInteger asked = new AtomicInteger();

        assertThatThrownBy(() -> CacheArchive.unpack(archive, folders, BOUND, () -> asked.incrementAndGet() > 10))
                .isInstanceOf(CacheArchive.CutShort.class);
        assertThat(asked).hasValue(11);
    }

    /** An entry of {@code files} empty files in {@code folder}, without entries of their folders, as any tar may. */
    private Path archive(int files, String folder) throws IOException {
        Path archive = build.resolve("many-" + files + ".tgz");
        try (TarArchiveOutputStream tar =
                new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(archive)))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (int i = 0; i < files; i++) {
                tar.putArchiveEntry(new TarArchiveEntry(folder + "/f" + i));
                tar.closeArchiveEntry();
            }
        }
        return archive;
    }

    private Path archive(String name, String content) throws IOException {
        Path archive = build.resolve("hostile-" + Math.abs(name.hashCode()) + ".tgz");
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try (TarArchiveOutputStream tar =
                new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(archive)))) {
            TarArchiveEntry entry = new TarArchiveEntry(name, true); // as written, not normalised
            entry.setSize(bytes.length);
            tar.putArchiveEntry(entry);
            tar.write(bytes);
            tar.closeArchiveEntry();
        }
        return archive;
    }

    private static List<String> namesIn(Path archive) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new java.util.zip.GZIPInputStream(Files.newInputStream(archive)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    private static String contentOf(Path archive) throws IOException {
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(archive))) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
