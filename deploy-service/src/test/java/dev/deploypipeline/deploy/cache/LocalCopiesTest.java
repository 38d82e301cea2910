package dev.deploypipeline.deploy.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replica's copies of cache entries: least recently used out first past the bound, never one half written. */
class LocalCopiesTest {

    @TempDir
    Path folder;

    private Instant now = Instant.parse("2026-12-01T12:00:00Z");

    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void pastTheBoundTheLeastRecentlyUsedCopyIsRemovedFirst() throws IOException {
        LocalCopies copies = new LocalCopies(folder.resolve("cache"), 250, clock);
        copies.prepare();
        copies.download("a.tgz", bytes(100), 100);
        later();
        copies.download("b.tgz", bytes(100), 100);
        later();
        assertThat(copies.find("a.tgz")).isPresent(); // used again: b is now the least recently used
        later();

        copies.download("c.tgz", bytes(100), 100);

        assertThat(copies.find("a.tgz")).isPresent();
        assertThat(copies.find("b.tgz")).isEmpty();
        assertThat(copies.find("c.tgz")).isPresent();
    }

    @Test
    void aDownloadThatEndsEarlyLeavesNoCopyAndNoPart() throws IOException {
        LocalCopies copies = new LocalCopies(folder.resolve("cache"), 1000, clock);
        copies.prepare();

        assertThatThrownBy(() -> copies.download("a.tgz", bytes(40), 100))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("40 of its 100 bytes");

        assertThat(copies.find("a.tgz")).isEmpty();
        try (Stream<Path> left = Files.list(folder.resolve("cache"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void partsLeftByAReplicaThatDiedAreRemovedAtStartAndTheFolderIsRootsAlone() throws IOException {
        Path cache = Files.createDirectories(folder.resolve("cache"));
        Files.write(cache.resolve(".part-0a1b"), new byte[10]);

        new LocalCopies(cache, 1000, clock).prepare();

        try (Stream<Path> left = Files.list(cache)) {
            assertThat(left).isEmpty();
        }
        assertThat(Files.getPosixFilePermissions(cache))
                .containsExactlyInAnyOrder(
                        java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
                        java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void aCopyIsNamedForItsObjectsVersion() {
        assertThat(LocalCopies.name("cache/projects/shop/x.tgz", "\"etag-1\""))
                .isNotEqualTo(LocalCopies.name("cache/projects/shop/x.tgz", "\"etag-2\""))
                .isNotEqualTo(LocalCopies.name("cache/projects/other/x.tgz", "\"etag-1\""));
    }

    private void later() {
        now = now.plus(Duration.ofSeconds(10));
    }

    private static ByteArrayInputStream bytes(int length) {
        return new ByteArrayInputStream(new byte[length]);
    }
}
