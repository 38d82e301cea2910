package dev.deploypipeline.deploy.cache;

import dev.deploypipeline.deploy.cache.CacheContents.CachedFolder;
import dev.deploypipeline.deploy.log.BuildLog;
import dev.deploypipeline.storage.ObjectMetadata;
import dev.deploypipeline.storage.ObjectUpload;
import dev.deploypipeline.storage.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One build's cache in its scope. Its entry is {@code {scope}{env}-{lock}.tgz}: {@code env} hashes Node's version,
 * the package manager's and the OS and architecture, {@code lock} the lock file. When that misses, the scope's
 * newest entry of the same {@code env} (named by {@code {scope}{env}-newest}) is restored instead, and the build's
 * own is saved after it.
 */
final class StoredCachedBuild implements CachedBuild {

    private static final Logger log = LoggerFactory.getLogger(StoredCachedBuild.class);
    private static final Pattern ENTRY_NAME = Pattern.compile("[0-9a-f]{16}-[0-9a-z]{1,64}\\.tgz");

    private final CacheScope scope;
    private final BuildLog buildLog;
    private final BuildCache cache;
    private CacheContents contents;
    private String env;
    private String entryKey;
    /** What was restored, when it was this build's own entry: saved again only when the build changed it. */
    private Optional<String> restoredFingerprint = Optional.empty();

    StoredCachedBuild(CacheScope scope, BuildLog buildLog, BuildCache cache) {
        this.scope = scope;
        this.buildLog = buildLog;
        this.cache = cache;
    }

    @Override
    public boolean restore(CacheContents contents) {
        this.contents = contents;
        this.env = CacheScope.sha256(cache.toolchain().describe(contents.manager()), 16);
        this.entryKey = scope.prefix() + env + "-"
                + contents.lockFileHash()
                        .substring(0, Math.min(32, contents.lockFileHash().length())) + ".tgz";
        Instant start = cache.clock().instant();
        Optional<ObjectMetadata> found = Optional.empty();
        List<CachedFolder> made = new ArrayList<>();
        try {
            found = cache.storage().head(entryKey);
            String result = found.isPresent() ? "hit" : "fallback";
            if (found.isEmpty()) {
                found = newest().flatMap(cache.storage()::head);
            }
            if (found.isEmpty()) {
                cache.count("miss");
                buildLog.line("[cache] no entry for this lock file or this " + scopeWord() + " yet (" + what()
                        + "): installing from the network");
                return false;
            }
            Path copy = localCopy(found.get());
            for (CachedFolder folder : contents.folders()) {
                if (Folders.real(folder.base(), folder.relative()).isEmpty()) {
                    made.add(folder);
                }
            }
            CacheArchive.Size size = CacheArchive.unpack(
                    copy, contents.folders(), cache.settings().maxSize().toBytes());
            if (result.equals("hit")) {
                restoredFingerprint = Optional.of(Folders.fingerprint(contents.folders()));
            }
            cache.count(result);
            buildLog.line(
                    "[cache] restored " + what() + " from " + name(found.get().key())
                            + (result.equals("hit")
                                    ? " (this lock file's)"
                                    : " (the " + scopeWord() + "'s newest, of another lock file)")
                            + ": " + size.files() + " files, " + bytes(size.bytes()) + " ("
                            + bytes(found.get().length())
                            + " compressed) in " + since(start));
            return true;
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "Could not restore the cache entry {}",
                    found.map(ObjectMetadata::key).orElse(entryKey),
                    e);
            undo(made);
            found.ifPresent(entry -> cache.copies().drop(localPath(entry)));
            cache.count("miss");
            buildLog.line(
                    "[cache] the entry " + found.map(entry -> name(entry.key())).orElse(name(entryKey))
                            + " could not be restored (" + e.getMessage() + "): building without it");
            return false;
        }
    }

    @Override
    public void save() {
        if (contents == null) {
            return;
        }
        Instant start = cache.clock().instant();
        Path part = cache.copies().part();
        try {
            if (restoredFingerprint.isPresent()
                    && restoredFingerprint.get().equals(Folders.fingerprint(contents.folders()))) {
                buildLog.line(
                        "[cache] " + what() + " are unchanged since " + name(entryKey) + " was restored: not saved");
                return;
            }
            CacheArchive.Size size = CacheArchive.pack(
                    contents.folders(), part, cache.settings().maxSize().toBytes());
            if (size.files() == 0) {
                buildLog.line("[cache] nothing to save: the build left " + what() + " empty");
                return;
            }
            long compressed = Files.size(part);
            cache.storage().putAll(List.of(ObjectUpload.ofFile(entryKey, part, "application/gzip")));
            byte[] pointer = name(entryKey).getBytes(StandardCharsets.UTF_8);
            cache.storage()
                    .putAll(List.of(new ObjectUpload(
                            newestKey(), pointer.length, "text/plain", () -> new ByteArrayInputStream(pointer))));
            cache.storage().head(entryKey).ifPresent(saved -> keepCopy(saved, part));
            buildLog.line("[cache] saved " + what() + " as " + name(entryKey) + ": " + size.files() + " files, "
                    + bytes(size.bytes()) + " (" + bytes(compressed) + " compressed) in " + since(start));
        } catch (CacheArchive.TooLarge e) {
            buildLog.line("[cache] not saved: " + what() + " hold more than "
                    + bytes(cache.settings().maxSize().toBytes()) + " (BUILD_CACHE_MAX_SIZE)");
        } catch (IOException | RuntimeException e) {
            log.warn("Could not save the cache entry {}", entryKey, e);
            buildLog.line("[cache] could not be saved (" + e.getMessage() + ")");
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                log.warn("Could not remove {}", part, e);
            }
        }
    }

    /** The scope's newest entry of this build's {@code env}, as its pointer names it; a pointer of anything else is none. */
    private Optional<String> newest() throws IOException {
        Optional<StoredObject> pointer = cache.storage().open(newestKey());
        if (pointer.isEmpty()) {
            return Optional.empty();
        }
        try (StoredObject object = pointer.get()) {
            String name = new String(object.body().readNBytes(128), StandardCharsets.UTF_8).strip();
            return ENTRY_NAME.matcher(name).matches() && name.startsWith(env + "-")
                    ? Optional.of(scope.prefix() + name)
                    : Optional.empty();
        }
    }

    private String newestKey() {
        return scope.prefix() + env + "-newest";
    }

    /** This replica's copy of the entry, downloaded first when it has none of this version. */
    private Path localCopy(ObjectMetadata entry) throws IOException {
        String copyName = LocalCopies.name(entry.key(), entry.eTag());
        Optional<Path> copy = cache.copies().find(copyName);
        if (copy.isPresent()) {
            return copy.get();
        }
        try (StoredObject object =
                cache.storage().open(entry.key()).orElseThrow(() -> new IOException("it was removed meanwhile"))) {
            return cache.copies().download(copyName, object.body(), object.length());
        }
    }

    private Path localPath(ObjectMetadata entry) {
        return cache.copies().find(LocalCopies.name(entry.key(), entry.eTag())).orElse(Path.of("/nonexistent"));
    }

    private void keepCopy(ObjectMetadata saved, Path part) {
        try {
            cache.copies().keep(LocalCopies.name(saved.key(), saved.eTag()), part);
        } catch (IOException e) {
            log.warn("Could not keep a copy of the cache entry {}", saved.key(), e);
        }
    }

    /** Removes the folders the failed restore made, never those that were there before it. */
    private static void undo(List<CachedFolder> made) {
        for (CachedFolder folder : made) {
            try {
                Folders.remove(folder.base(), folder.relative());
            } catch (IOException e) {
                log.warn("Could not remove {} after a failed restore", folder.name(), e);
            }
        }
    }

    private String what() {
        return "the " + contents.manager().replaceFirst("@.*", "") + " store and framework caches";
    }

    private String scopeWord() {
        return scope.prefix().startsWith("cache/projects/") ? "project" : "repository";
    }

    private String name(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    private String since(Instant start) {
        return String.format(
                Locale.ROOT,
                "%.1f s",
                Duration.between(start, cache.clock().instant()).toMillis() / 1000.0);
    }

    static String bytes(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
}
