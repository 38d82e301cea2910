package dev.deploypipeline.deploy.cache;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's copies of cache entries, in a folder of its own that builds cannot enter: each named for the
 * object and its ETag, so a copy is never taken for a newer version of its entry. Past {@code maxBytes}, the
 * least recently used copies are removed. A copy is written beside its place and moved in whole, so a replica
 * that dies while it downloads leaves no half-written copy behind.
 */
final class LocalCopies {

    private static final Logger log = LoggerFactory.getLogger(LocalCopies.class);
    private static final String PART = ".part-";

    private final Path folder;
    private final long maxBytes;
    private final Clock clock;

    LocalCopies(Path folder, long maxBytes, Clock clock) {
        this.folder = folder;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    /** The folder, root's alone; parts a replica that died was writing are removed. */
    void prepare() throws IOException {
        Files.createDirectories(folder);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        try (Stream<Path> files = Files.list(folder)) {
            for (Path part : files.filter(file -> file.getFileName().toString().startsWith(PART))
                    .toList()) {
                Files.deleteIfExists(part);
            }
        }
    }

    static String name(String key, String eTag) {
        return CacheScope.sha256(key + "\n" + eTag, 40) + ".tgz";
    }

    /** The copy of that name, marked as used now. */
    Optional<Path> find(String name) {
        Path copy = folder.resolve(name);
        try {
            Files.setLastModifiedTime(copy, FileTime.from(clock.instant()));
            return Optional.of(copy);
        } catch (IOException missing) {
            return Optional.empty();
        }
    }

    /** A file to write an entry into before it is kept. */
    Path part() {
        return folder.resolve(PART + UUID.randomUUID());
    }

    /** Copies {@code content} in as {@code name}; fewer or more bytes than {@code length} is no copy. */
    Path download(String name, InputStream content, long length) throws IOException {
        Path part = part();
        try {
            long copied = Files.copy(content, part);
            if (copied != length) {
                throw new IOException("the entry ended after " + copied + " of its " + length + " bytes");
            }
            return keep(name, part);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Moves a written part in as {@code name}, then leaves out the least recently used copies past the bound. */
    Path keep(String name, Path part) throws IOException {
        Path copy = folder.resolve(name);
        Files.move(part, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.setLastModifiedTime(copy, FileTime.from(clock.instant()));
        evict(copy);
        return copy;
    }

    void drop(Path copy) {
        try {
            Files.deleteIfExists(copy);
        } catch (IOException e) {
            log.warn("Could not remove the cache copy {}", copy, e);
        }
    }

    /** Oldest use first; the copy just kept stays, even when it alone is past the bound, until the next is kept. */
    private synchronized void evict(Path kept) throws IOException {
        List<Path> copies;
        try (Stream<Path> files = Files.list(folder)) {
            copies = files.filter(file -> !file.getFileName().toString().startsWith(PART))
                    .sorted(Comparator.comparing(LocalCopies::lastUsed))
                    .toList();
        }
        long total = 0;
        for (Path copy : copies) {
            total += size(copy);
        }
        for (Path copy : copies) {
            if (total <= maxBytes) {
                return;
            }
            if (!copy.equals(kept)) {
                total -= size(copy);
                drop(copy);
            }
        }
    }

    private static FileTime lastUsed(Path copy) {
        try {
            return Files.getLastModifiedTime(copy);
        } catch (IOException gone) {
            return FileTime.fromMillis(0);
        }
    }

    private static long size(Path copy) {
        try {
            return Files.size(copy);
        } catch (IOException gone) {
            return 0;
        }
    }
}
