package dev.deploypipeline.deploy.cache;

import dev.deploypipeline.storage.ObjectMetadata;
import dev.deploypipeline.storage.ObjectStorage;
import dev.deploypipeline.storage.ObjectUpload;
import dev.deploypipeline.storage.StoredObject;
import dev.deploypipeline.storage.StoredObjectInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entries one build may use in its scope: its own, {@code {scope}{env}-{lock}.tgz}, and the scope's newest of
 * the same {@code env} (Node, package manager and OS), which {@code {scope}{env}-newest} names; with this
 * replica's copies of them.
 */
final class ScopeEntries {

    private static final Logger log = LoggerFactory.getLogger(ScopeEntries.class);
    private static final Pattern ENTRY_NAME = Pattern.compile("[0-9a-f]{16}-[0-9a-z]{1,64}\\.tgz");
    /** An entry of one preview, below the folder of all of its project's previews. */
    private static final Pattern PREVIEW_ENTRY = Pattern.compile("[a-z0-9-]{1,63}/" + ENTRY_NAME.pattern());

    private final CacheScope scope;
    private final String env;
    private final String ownKey;
    private final ObjectStorage storage;
    private final LocalCopies copies;
    private final CacheUses uses;

    ScopeEntries(
            CacheScope scope,
            String env,
            String lockFileHash,
            ObjectStorage storage,
            LocalCopies copies,
            CacheUses uses) {
        this.scope = scope;
        this.env = env;
        this.ownKey =
                scope.prefix() + env + "-" + lockFileHash.substring(0, Math.min(32, lockFileHash.length())) + ".tgz";
        this.storage = storage;
        this.copies = copies;
        this.uses = uses;
    }

    String ownName() {
        return name(ownKey);
    }

    Optional<ObjectMetadata> own() {
        return storage.head(ownKey);
    }

    /** The scope's newest entry of this {@code env}; a pointer naming anything else names none. */
    Optional<ObjectMetadata> newest() throws IOException {
        Optional<StoredObject> pointer = storage.open(newestKey());
        if (pointer.isEmpty()) {
            return Optional.empty();
        }
        String name;
        try (StoredObject object = pointer.get()) {
            name = new String(object.body().readNBytes(128), StandardCharsets.UTF_8).strip();
        }
        return ENTRY_NAME.matcher(name).matches() && name.startsWith(env + "-")
                ? storage.head(scope.prefix() + name)
                : Optional.empty();
    }

    /** This replica's copy of the entry, downloaded first when it has none of this version. */
    Path localCopy(ObjectMetadata entry) throws IOException {
        String copyName = LocalCopies.name(entry.key(), entry.eTag());
        Optional<Path> copy = copies.find(copyName);
        if (copy.isPresent()) {
            return copy.get();
        }
        try (StoredObject object =
                storage.open(entry.key()).orElseThrow(() -> new IOException("it was removed meanwhile"))) {
            return copies.download(copyName, object.body(), object.length());
        }
    }

    /** The entry was restored: used now, so it is among the last of its scope to be removed. */
    void restored(ObjectMetadata entry) {
        uses.used(scope, entry.key());
    }

    /** A copy that could not be read is no copy. */
    void dropCopy(ObjectMetadata entry) {
        copies.find(LocalCopies.name(entry.key(), entry.eTag())).ifPresent(copies::drop);
    }

    /** A file to pack the build's own entry into. */
    Path part() throws IOException {
        return copies.part();
    }

    /**
     * Stores the packed entry as the build's own and the scope's newest, keeps it as this replica's copy, and removes
     * the scope's entries past the {@code keep} most recently used; returns how many it removed.
     */
    int store(Path part, int keep) throws IOException {
        // The copy is named for the version this put stored: a HEAD now might see another replica's, saved meanwhile.
        String eTag = storage.put(ObjectUpload.ofFile(ownKey, part, "application/gzip"));
        byte[] pointer = ownName().getBytes(StandardCharsets.UTF_8);
        storage.putAll(List.of(
                new ObjectUpload(newestKey(), pointer.length, "text/plain", () -> new ByteArrayInputStream(pointer))));
        uses.used(scope, ownKey);
        try {
            copies.keep(LocalCopies.name(ownKey, eTag), part);
        } catch (IOException e) {
            log.warn("Could not keep a copy of the cache entry {}", ownKey, e);
        }
        try {
            return prune(keep);
        } catch (RuntimeException e) {
            log.warn("Could not remove the older cache entries of {}; the next save tries again", scope.group(), e);
            return 0;
        }
    }

    /**
     * Removes the entries of every {@code env} of the scope's group past the {@code keep} most recently saved or
     * restored, never this build's own, nor those of a scope below (a project's previews'); a pointer left naming a
     * removed one names none. A removal that fails is tried at the next save.
     */
    private int prune(int keep) {
        Pattern entries = scope.sharesGroup() ? PREVIEW_ENTRY : ENTRY_NAME;
        List<StoredObjectInfo> others = storage.list(scope.group()).stream()
                .filter(object -> entries.matcher(
                                object.key().substring(scope.group().length()))
                        .matches())
                .filter(object -> !object.key().equals(ownKey))
                .toList();
        if (others.size() < keep) {
            return 0;
        }
        int removed = 0;
        for (StoredObjectInfo entry : uses.newestFirst(scope, others).subList(keep - 1, others.size())) {
            try {
                storage.delete(entry.key());
                uses.forget(scope, entry.key());
                removed++;
            } catch (RuntimeException e) {
                log.warn("Could not remove the old cache entry {}", entry.key(), e);
            }
        }
        return removed;
    }

    private String newestKey() {
        return scope.prefix() + env + "-newest";
    }

    static String name(String key) {
        return key.substring(key.lastIndexOf('/') + 1);
    }
}
