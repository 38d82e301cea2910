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
import java.util.function.BooleanSupplier;
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
 * and never over a file that is there. Both stop past a bound of bytes (each file's header counted too), of files
 * and folders, and of depth, so neither the walk nor the restore of a hostile store costs more than those bounds.
 */
final class CacheArchive {

    /** What a tar header costs, so a million empty files count too. */
    private static final long ENTRY_COST = 512;

    private CacheArchive() {}

    /** How much an entry holds. */
    record Size(long files, long bytes) {}

    /**
     * The most an entry may hold: {@code bytes} ({@code BUILD_CACHE_MAX_SIZE}, each header counted too) and {@code
     * entries}, its files and folders ({@code BUILD_CACHE_MAX_FILES}); and folders at most {@link #MAX_DEPTH} deep.
     */
    record Bounds(long bytes, long entries) {

        /** Far deeper than any package manager's store nests (npm's cacache: 6), far shallower than PATH_MAX. */
        static final int MAX_DEPTH = 256;

        void checkBytes(long counted) {
            if (counted > bytes) {
                throw new TooLarge("more than " + StoredCachedBuild.bytes(bytes), "BUILD_CACHE_MAX_SIZE");
            }
        }

        void checkEntries(long counted) {
            if (counted > entries) {
                throw new TooLarge("more than " + entries + " files and folders", "BUILD_CACHE_MAX_FILES");
            }
        }

        void checkDepth(int depth) {
            if (depth > MAX_DEPTH) {
                throw new TooLarge("folders more than " + MAX_DEPTH + " deep", "a bound of its own");
            }
        }
    }

    /** Packs the folders that are there into {@code archive}; past {@code bounds}, a {@link TooLarge}. */
    static Size pack(List<CachedFolder> folders, Path archive, Bounds bounds) throws IOException {
        long[] counted = new long[3];
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
                    Files.walkFileTree(start.get(), new Packer(tar, folder.name(), start.get(), bounds, counted));
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
        private final Bounds bounds;
        /** Files, bytes and entries so far. */
        private final long[] counted;

        Packer(TarArchiveOutputStream tar, String name, Path start, Bounds bounds, long[] counted) {
            this.tar = tar;
            this.name = name;
            this.start = start;
            this.bounds = bounds;
            this.counted = counted;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) throws IOException {
            Optional<String> entryName = entryName(folder);
            if (entryName.isEmpty()) {
                return FileVisitResult.SKIP_SUBTREE;
            }
            bounds.checkDepth(start.relativize(folder).getNameCount());
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
            bounds.checkBytes(counted[1]);
            bounds.checkEntries(++counted[2]);
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
     * more than {@code bounds}, makes it corrupt ({@link IOException}), and the caller removes what was written.
     * Between entries it asks {@code stopped}, and once that says yes it ends with {@link CutShort}.
     */
    static Size unpack(Path archive, List<CachedFolder> folders, Bounds bounds, BooleanSupplier stopped)
            throws IOException {
        return unpack(archive, folders, bounds, stopped, new MadeFolders());
    }

    static Size unpack(
            Path archive, List<CachedFolder> folders, Bounds bounds, BooleanSupplier stopped, MadeFolders made)
            throws IOException {
        long files = 0;
        long bytes = 0;
        long entries = 0;
        try (InputStream file = Files.newInputStream(archive);
                TarArchiveInputStream tar = new TarArchiveInputStream(
                        new GZIPInputStream(new BufferedInputStream(file, 1 << 16), 1 << 16))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String name = entry.getName();
                String path = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
                if (stopped.getAsBoolean()) {
                    throw new CutShort();
                }
                bytes += Math.max(0, entry.getSize()) + ENTRY_COST;
                entries++;
                try {
                    bounds.checkBytes(bytes);
                    bounds.checkEntries(entries);
                    bounds.checkDepth(path.split("/").length);
                } catch (TooLarge e) {
                    throw new IOException("it holds " + e.getMessage() + " (" + e.setting() + ")");
                }
                if (!RelativePath.isSafe(path)) {
                    throw new IOException("it names a path outside its folders: " + name);
                }
                Target target = target(folders, path)
                        .orElseThrow(() -> new IOException("it holds " + name + ", which is no folder it caches"));
                if (entry.isDirectory()) {
                    made.made(target.base(), target.relative());
                } else if (entry.isFile() && !entry.isLink() && !entry.isSymbolicLink()) {
                    if (write(tar, entry, target, made)) {
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
    private static boolean write(InputStream tar, TarArchiveEntry entry, Target target, MadeFolders made)
            throws IOException {
        int slash = target.relative().lastIndexOf('/');
        Path folder = slash < 0
                ? target.base()
                : made.made(target.base(), target.relative().substring(0, slash));
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

    /** The folders hold more than an entry may: {@code more than …}, past {@code setting}. */
    static final class TooLarge extends RuntimeException {

        private final String setting;

        TooLarge(String what, String setting) {
            super(what);
            this.setting = setting;
        }

        String setting() {
            return setting;
        }
    }

    /** The unpack was told to stop (the build was cancelled or ran out of time) before it ended. */
    static final class CutShort extends IOException {
        CutShort() {
            super("cut short");
        }
    }
}
