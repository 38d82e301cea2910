package dev.deploypipeline.site.serving;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.deploypipeline.site.SiteSettings;
import dev.deploypipeline.storage.ObjectMetadata;
import dev.deploypipeline.storage.ObjectStorage;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * What is known of a site's files: length, type and ETag, or that there is no such file. A deployed site
 * never changes, so what was learnt once stays true and a hot file costs no S3 request but its body;
 * 304s and HEADs cost none.
 */
@Component
class ObjectCatalog {

    private final ObjectStorage storage;
    private final Cache<String, Optional<ObjectMetadata>> known;

    ObjectCatalog(ObjectStorage storage, SiteSettings settings) {
        this.storage = storage;
        this.known =
                Caffeine.newBuilder().maximumSize(settings.objectCacheEntries()).build();
    }

    Optional<ObjectMetadata> find(String key) {
        return known.get(key, storage::head);
    }

    /** Forgets a file that turned out to be gone, as when a deployment's files were removed. */
    void forget(String key) {
        known.invalidate(key);
    }
}
