package dev.deploypipeline.deploy.cache;

import dev.deploypipeline.deploy.cache.CacheContents.CachedFolder;
import dev.deploypipeline.deploy.log.BuildLog;
import dev.deploypipeline.storage.ObjectMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One build's cache in its scope: its own entry restored when there is one, else the scope's newest of the same
 * Node and package manager ({@link ScopeEntries}), else the same of the scope it reads also (a preview's project's);
 * its own saved, in its scope only, after it succeeded, unless it restored that one
 * and left it unchanged. Whatever goes wrong with an entry is written in the build's log and costs the build only
 * the cache.
 */
final class StoredCachedBuild implements CachedBuild {

    private static final Logger log = LoggerFactory.getLogger(StoredCachedBuild.class);

    private final CacheScope scope;
    private final BuildLog buildLog;
    private final BuildCache cache;
    private CacheContents contents;
    private ScopeEntries entries;
    /** What was restored, when it was this build's own entry: saved again only when the build changed it. */
    private Optional<String> restoredFingerprint = Optional.empty();

    StoredCachedBuild(CacheScope scope, BuildLog buildLog, BuildCache cache) {
        this.scope = scope;
        this.buildLog = buildLog;
        this.cache = cache;
    }

    @Override
    public boolean restore(CacheContents contents, BooleanSupplier stopped) {
        this.contents = contents;
        String env = CacheScope.sha256(cache.toolchain().describe(contents.manager()), 16);
        this.entries = entriesOf(scope, env);
        Instant start = cache.clock().instant();
        Optional<ObjectMetadata> found = Optional.empty();
        ScopeEntries from = entries;
        List<CachedFolder> made = new ArrayList<>();
        try {
            Lookup lookup = lookUp(env);
            found = lookup.entry();
            from = lookup.from();
            if (found.isEmpty()) {
                cache.count("miss");
                buildLog.line("[cache] no entry for this lock file or this " + scopeWord()
                        + (scope.readAlso() != null ? " or its project" : "") + " yet (" + what()
                        + "): installing from the network");
                return false;
            }
            String result = lookup.which().equals(Which.OWN) ? "hit" : "fallback";
            Path copy = from.localCopy(found.get());
            for (CachedFolder folder : contents.folders()) {
                if (Folders.real(folder.base(), folder.relative()).isEmpty()) {
                    made.add(folder);
                }
            }
            CacheArchive.Size size = CacheArchive.unpack(
                    copy, contents.folders(), cache.settings().bounds(), stopped);
            if (lookup.which() != Which.NEWEST && lookup.which() != Which.READ_ALSO_NEWEST) {
                // Its own, or the project's of this lock file, which a preview reads anyway: no copy of it is saved.
                restoredFingerprint = fingerprint();
            }
            from.restored(found.get());
            cache.count(result);
            buildLog.line("[cache] restored " + what() + " from "
                    + ScopeEntries.name(found.get().key())
                    + switch (lookup.which()) {
                        case OWN -> " (this lock file's)";
                        case NEWEST -> " (the " + scopeWord() + "'s newest, of another lock file)";
                        case READ_ALSO_OWN -> " (the project's, of this lock file)";
                        case READ_ALSO_NEWEST -> " (the project's newest, of another lock file)";
                    }
                    + ": " + size.files() + " files, " + bytes(size.bytes()) + " ("
                    + bytes(found.get().length())
                    + " compressed) in " + since(start));
            return true;
        } catch (CacheArchive.CutShort e) {
            undo(made);
            cache.count("miss");
            buildLog.line("[cache] restoring " + ScopeEntries.name(found.get().key())
                    + " was cut short: the build was stopped or ran out of time");
            return false;
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "Could not restore the cache entry {}",
                    found.map(ObjectMetadata::key).orElse(scope.prefix()),
                    e);
            undo(made);
            found.ifPresent(from::dropCopy);
            cache.count("miss");
            buildLog.line("[cache] the entry "
                    + found.map(entry -> ScopeEntries.name(entry.key())).orElse(entries.ownName())
                    + " could not be restored (" + e.getMessage() + "): building without it");
            return false;
        }
    }

    @Override
    public boolean save() {
        if (contents == null) {
            return false;
        }
        Instant start = cache.clock().instant();
        Path part;
        try {
            part = entries.part();
        } catch (IOException e) {
            log.warn("Could not make room for the cache entry {}", entries.ownName(), e);
            buildLog.line("[cache] could not be saved (" + e.getMessage() + ")");
            return true;
        }
        try {
            if (restoredFingerprint.isPresent() && restoredFingerprint.equals(fingerprint())) {
                buildLog.line(
                        "[cache] " + what() + " are unchanged since " + entries.ownName() + " was restored: not saved");
                return true;
            }
            CacheArchive.Size size =
                    CacheArchive.pack(contents.folders(), part, cache.settings().bounds());
            if (size.files() == 0) {
                buildLog.line("[cache] nothing to save: the build left " + what() + " empty");
                return true;
            }
            long compressed = Files.size(part);
            int removed = entries.store(part, cache.settings().keep());
            buildLog.line("[cache] saved " + what() + " as " + entries.ownName() + ": " + size.files() + " files, "
                    + bytes(size.bytes()) + " (" + bytes(compressed) + " compressed) in " + since(start)
                    + (removed == 0
                            ? ""
                            : "; removed " + removed + " older " + (removed == 1 ? "entry" : "entries")
                                    + (scope.sharesGroup() ? " of this project's previews" : " of this " + scopeWord())
                                    + " (BUILD_CACHE_KEEP "
                                    + cache.settings().keep() + ")"));
        } catch (CacheArchive.TooLarge e) {
            log.info("Not saving the cache entry {}: its folders hold {}", entries.ownName(), e.getMessage());
            buildLog.line("[cache] not saved: " + what() + " hold " + e.getMessage() + " (" + e.setting() + ")");
        } catch (IOException | RuntimeException e) {
            log.warn("Could not save the cache entry {}", entries.ownName(), e);
            buildLog.line("[cache] could not be saved (" + e.getMessage() + ")");
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                log.warn("Could not remove {}", part, e);
            }
        }
        return true;
    }

    /** What the cached folders hold now; none past the bounds, which no entry may hold and save then says. */
    private Optional<String> fingerprint() throws IOException {
        try {
            return Optional.of(
                    Folders.fingerprint(contents.folders(), cache.settings().bounds()));
        } catch (CacheArchive.TooLarge e) {
            return Optional.empty();
        }
    }

    /** Where an entry was found: the build's own key or its scope's newest, else the same in the scope read also. */
    private enum Which {
        OWN,
        NEWEST,
        READ_ALSO_OWN,
        READ_ALSO_NEWEST
    }

    private record Lookup(Optional<ObjectMetadata> entry, ScopeEntries from, Which which) {}

    private Lookup lookUp(String env) throws IOException {
        Optional<ObjectMetadata> own = entries.own();
        if (own.isPresent()) {
            return new Lookup(own, entries, Which.OWN);
        }
        Optional<ObjectMetadata> newest = entries.newest();
        if (newest.isPresent() || scope.readAlso() == null) {
            return new Lookup(newest, entries, Which.NEWEST);
        }
        ScopeEntries also = entriesOf(scope.readAlso(), env);
        Optional<ObjectMetadata> theirs = also.own();
        if (theirs.isPresent()) {
            return new Lookup(theirs, also, Which.READ_ALSO_OWN);
        }
        return new Lookup(also.newest(), also, Which.READ_ALSO_NEWEST);
    }

    private ScopeEntries entriesOf(CacheScope in, String env) {
        return new ScopeEntries(in, env, contents.lockFileHash(), cache.storage(), cache.copies(), cache.uses());
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
        if (scope.readAlso() != null) {
            return "preview";
        }
        return scope.prefix().startsWith("cache/projects/") ? "project" : "repository";
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
