package dev.deploypipeline.storage;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The object store (one S3 bucket). Bodies stream; nothing holds a whole site in memory. */
public interface ObjectStorage {

    /** Stores every object, several at a time; throws when any of them could not be stored. */
    void putAll(Collection<ObjectUpload> uploads);

    /**
     * Stores one object and returns the ETag the store gave this very version of it, which a HEAD afterwards might
     * not: another writer of the same key may have stored its own meanwhile.
     */
    String put(ObjectUpload upload);

    /**
     * Copies every object within the bucket, several at a time, each stored with its copy's Content-Type; the
     * server copies the bytes, none pass through this process. Throws when any of them could not be copied.
     */
    void copyAll(Collection<ObjectCopy> copies);

    /** The objects under a prefix, in key order. */
    List<StoredObjectInfo> list(String prefix);

    /**
     * Copies every object under {@code prefix} into {@code directory}, keeping the rest of each key as its path;
     * a {@link TooLargeException}, before anything is written, when they hold more than {@code maxBytes}.
     */
    void downloadAll(String prefix, Path directory, long maxBytes);

    /** Opens an object to read; the caller closes it. */
    Optional<StoredObject> open(String key);

    /**
     * Opens bytes {@code first} to {@code last} (inclusive, as in an HTTP range) of an object, which must
     * lie within it; the caller closes it.
     */
    Optional<StoredObject> open(String key, long first, long last);

    /** An object's length, type and ETag, without its body. */
    Optional<ObjectMetadata> head(String key);

    /** Removes every object under a prefix. */
    void deleteAll(String prefix);

    /** Deletes one object; deleting one that is not there is no error. */
    void delete(String key);
}
