package dev.deploypipeline.deploy.cache;

import static java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE;

import dev.deploypipeline.deploy.cache.CacheContents.CachedFolder;
import dev.deploypipeline.storage.RelativePath;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A cache entry on disk: a gzipped tar of the cached folders, each file under its folder's name ({@code home/.npm/…},
 * {@code app/.next/cache/…}). Packing walks without following links and keeps only folders and regular files;
 * unpacking writes only folders and regular files, only inside the folders the build caches, never through a link
 * and never over a file that is there. Both stop past a bound, each file's header counted too.
 */
final class CacheArchive {

    /** What a tar header costs, so a million empty files count too. */
    private static final long ENTRY_COST = 512;

    private CacheArchive() {}

    /** How much an entry holds. */
    record Size(long files, long bytes) {}

    /** Packs the folders that are there into {@code archive}; past {@code maxBytes}, a {@link TooLarge}. */
    static Size pack(List<CachedFolder> folders, Path archive, long maxBytes) throws IOException {
        long[] counted = new long[2];
        try (OutputStream file = Files.newOutputStream(archive);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(
                        new GZIPOutputStream(new BufferedOutputStream(file, 1 << 16), 1 << 16) {
                            {
                                def.setLevel(Deflater.BEST_SPEED); // most of a store is compressed already
                            }
                        })) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (CachedFolder folder : folders) {
                Optional<Path> start = Folders.real(folder.base(), folder.relative());
                if (start.isPresent()) {
                    Files.walkFileTree(start.get(), new Packer(tar, folder.name(), start.get(), maxBytes, counted));
                }
            }
        }
        return new Size(counted[0], counted[1]);
    }

    /** Writes each folder and regular file; links, devices and sockets are left out, never followed. */
    private static final class Packer extends SimpleFileVisitor<Path> {

        private final TarArchiveOutputStream tar;
        private final String name;
        private final Path start;
        private final long maxBytes;
        private final long[] counted;

        Packer(TarArchiveOutputStream tar, String name, Path start, long maxBytes, long[] counted) {
            this.tar = tar;
            this.name = name;
            this.start = start;
            this.maxBytes = maxBytes;
            this.counted = counted;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) throws IOException {
            Optional<String> entryName = entryName(folder);
            if (entryName.isEmpty()) {
                return FileVisitResult.SKIP_SUBTREE;
            }
            count(0);
            tar.putArchiveEntry(new TarArchiveEntry(entryName.get() + "/"));
            tar.closeArchiveEntry();
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
            Optional<String> entryName = entryName(file);
            if (!attributes.isRegularFile() || entryName.isEmpty()) {
                return FileVisitResult.CONTINUE;
            }
            count(attributes.size());
            TarArchiveEntry entry = new TarArchiveEntry(entryName.get());
            entry.setSize(attributes.size());
            entry.setMode(
                    Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)
                                    .contains(OWNER_EXECUTE)
                            ? 0100755
                            : 0100644);
            tar.putArchiveEntry(entry);
            try (InputStream content = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                if (content.transferTo(tar) != attributes.size()) {
                    throw new IOException(file + " changed while it was packed");
                }
            }
            tar.closeArchiveEntry();
            counted[0]++;
            return FileVisitResult.CONTINUE;
        }

        private void count(long bytes) {
            counted[1] += bytes + ENTRY_COST;
            if (counted[1] > maxBytes) {
                throw new TooLarge(maxBytes);
            }
        }

        /** Names that could not come back out safely (control characters, backslashes) are left out. */
        private Optional<String> entryName(Path path) {
            String relative = start.relativize(path).toString();
            String entryName = relative.isEmpty() ? name : name + "/" + relative;
            return RelativePath.isSafe(entryName) ? Optional.of(entryName) : Optional.empty();
        }
    }

    /**
     * Unpacks an entry into the folders of {@code folders}; anything else it holds, a link, a name outside them or
     * more than {@code maxBytes}, makes it corrupt ({@link IOException}), and the caller removes what was written.
     */
    static Size unpack(Path archive, List<CachedFolder> folders, long maxBytes) throws IOException {
        long files = 0;
        long bytes = 0;
        try (InputStream file = Files.newInputStream(archive);
                TarArchiveInputStream tar = new TarArchiveInputStream(
                        new GZIPInputStream(new BufferedInputStream(file, 1 << 16), 1 << 16))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String name = entry.getName();
                String path = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
                bytes += Math.max(0, entry.getSize()) + ENTRY_COST;
                if (bytes > maxBytes) {
                    throw new IOException("it holds more than " + maxBytes + " bytes");
                }
                if (!RelativePath.isSafe(path)) {
                    throw new IOException("it names a path outside its folders: " + name);
                }
                Target target = target(folders, path)
                        .orElseThrow(() -> new IOException("it holds " + name + ", which is no folder it caches"));
                if (entry.isDirectory()) {
                    Folders.made(target.base(), target.relative());
                } else if (entry.isFile() && !entry.isLink() && !entry.isSymbolicLink()) {
                    if (write(tar, entry, target)) {
                        files++;
                    }
                } else {
                    throw new IOException("it holds " + name + ", which is neither a folder nor a regular file");
                }
            }
        }
        return new Size(files, bytes);
    }

    /** Where an entry's file goes: under its folder's base, every step a real folder. */
    private record Target(Path base, String relative) {}

    private static Optional<Target> target(List<CachedFolder> folders, String path) {
        return folders.stream()
                .filter(folder -> path.equals(folder.name()) || path.startsWith(folder.name() + "/"))
                .findFirst()
                .map(folder -> new Target(
                        folder.base(),
                        folder.relative() + path.substring(folder.name().length())));
    }

    /** Writes a file where none is; one that is there (the repository's own) is kept, and the entry's skipped. */
    private static boolean write(InputStream tar, TarArchiveEntry entry, Target target) throws IOException {
        int slash = target.relative().lastIndexOf('/');
        Path folder = slash < 0
                ? target.base()
                : Folders.made(target.base(), target.relative().substring(0, slash));
        Path file = folder.resolve(target.relative().substring(slash + 1));
        try (OutputStream out = Files.newOutputStream(
                file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            tar.transferTo(out);
        } catch (FileAlreadyExistsException there) {
            return false;
        }
        Files.setPosixFilePermissions(
                file, PosixFilePermissions.fromString((entry.getMode() & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--"));
        return true;
    }

    /** The folders hold more than an entry may. */
    static final class TooLarge extends RuntimeException {
        TooLarge(long maxBytes) {
            super("more than " + maxBytes + " bytes");
        }
    }
}
