package dev.deploypipeline.deploy.cache;

import dev.deploypipeline.deploy.cache.CacheContents.CachedFolder;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.codec.digest.DigestUtils;
import org.springframework.util.FileSystemUtils;

/**
 * Folders of a build's disk as this service (root) may use them: every step from a trusted base (the disk's top,
 * which sits in this service's own folder where the build cannot replace it) down must be a real folder, never a
 * symbolic link, which the build could have pointed anywhere on this machine. Only used when nothing of the build
 * runs, so nothing can change a folder between the look and the use.
 */
public final class Folders {

    private Folders() {}

    /** The folder {@code relative} under {@code base} when each step of it is a real folder; empty otherwise. */
    public static Optional<Path> real(Path base, String relative) throws IOException {
        Path folder = base;
        for (String segment : relative.split("/")) {
            folder = folder.resolve(segment);
            Optional<BasicFileAttributes> found = attributes(folder);
            if (found.isEmpty() || !found.get().isDirectory()) {
                return Optional.empty();
            }
        }
        return Optional.of(folder);
    }

    /**
     * The first step of {@code relative} under {@code base} that is there but is no real folder (a symbolic link, a
     * file); empty when each step is a folder or missing.
     */
    public static Optional<Path> replaced(Path base, String relative) throws IOException {
        Path folder = base;
        for (String segment : relative.split("/")) {
            folder = folder.resolve(segment);
            Optional<BasicFileAttributes> found = attributes(folder);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            if (!found.get().isDirectory()) {
                return Optional.of(folder);
            }
        }
        return Optional.empty();
    }

    /** {@code folder} as a path under {@code base}, for {@link #real} and {@link #replaced}; empty for base itself. */
    public static String relative(Path base, Path folder) {
        Path relative = base.relativize(folder);
        if (relative.startsWith("..")) {
            throw new IllegalArgumentException(folder + " is not under " + base);
        }
        return relative.toString();
    }

    /**
     * What a manager rewrites whenever it reads its store, by the store's name in an entry: npm's cacache appends to or
     * rewrites an index entry on every install that uses it and writes through its {@code tmp} folder, while
     * what it stores is kept by content ({@code content-v2}), so anything new in the store shows there.
     */
    private static final Map<String, List<String>> REWRITTEN_ON_READ =
            Map.of("home/.npm/_cacache", List.of("index-v5", "tmp"));

    /**
     * What the folders hold, as one hash of each file's path, size and modification time, walked without
     * following links and leaving out the indexes managers rewrite on every read: unchanged when a build only
     * read them. Each path's hash is added into the whole (mod 2^256), so the order of the walk does not matter
     * and nothing of it is kept: a store of a million long names costs no memory. Past {@code bounds}' entries or
     * depth, a {@link CacheArchive.TooLarge}.
     */
    static String fingerprint(List<CachedFolder> folders, CacheArchive.Bounds bounds) throws IOException {
        BigInteger[] sum = {BigInteger.ZERO};
        long[] entries = {0};
        for (CachedFolder folder : folders) {
            Optional<Path> start = real(folder.base(), folder.relative());
            if (start.isEmpty()) {
                continue;
            }
            List<Path> rewritten = REWRITTEN_ON_READ.getOrDefault(folder.name(), List.of()).stream()
                    .map(start.get()::resolve)
                    .toList();
            Files.walkFileTree(start.get(), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path path, BasicFileAttributes found) {
                    if (rewritten.contains(path)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    bounds.checkDepth(start.get().relativize(path).getNameCount());
                    return visitFile(path, found);
                }

                @Override
                public FileVisitResult visitFile(Path path, BasicFileAttributes found) {
                    if (rewritten.stream().anyMatch(path::startsWith)) {
                        return FileVisitResult.CONTINUE;
                    }
                    bounds.checkEntries(++entries[0]);
                    String line = folder.name() + "/" + start.get().relativize(path) + " " + found.size() + " "
                            + found.lastModifiedTime().toMillis() + "\n";
                    sum[0] = sum[0].add(new BigInteger(1, DigestUtils.sha256(line)));
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        byte[] digest = sum[0].mod(BigInteger.ONE.shiftLeft(256)).toByteArray();
        return HexFormat.of().formatHex(digest);
    }

    /** Removes a folder and what it holds, never what a link in it points to. */
    static void remove(Path base, String relative) throws IOException {
        Optional<Path> folder = real(base, relative);
        if (folder.isPresent()) {
            FileSystemUtils.deleteRecursively(folder.get());
        }
    }

    static Optional<BasicFileAttributes> attributes(Path path) throws IOException {
        try {
            return Optional.of(Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        }
    }
}
