package dev.deploypipeline.deploy.cache;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The dependency cache ({@code BUILD_CACHE_LOCAL_MAX}, {@code BUILD_CACHE_MAX_SIZE}, {@code BUILD_CACHE_MAX_FILES},
 * {@code BUILD_CACHE_KEEP}).
 *
 * @param localMax the most this replica keeps of cache entries on its own disk, least recently used left out first
 * @param maxSize the most one cache entry may hold, uncompressed; a build whose stores hold more saves none
 * @param maxFiles the most files and folders one cache entry may hold; a build whose stores hold more saves none,
 *     and an entry that holds more is not restored
 * @param keep how many entries one project's site (or its previews together, or a repository) keeps in the bucket; a
 *     save removes the least recently used past it
 */
@ConfigurationProperties("build.cache")
public record CacheSettings(
        @DefaultValue("5GB") DataSize localMax,
        @DefaultValue("1GB") DataSize maxSize,
        @DefaultValue("200000") int maxFiles,
        @DefaultValue("5") int keep) {

    public CacheSettings {
        if (localMax == null || localMax.isNegative() || maxSize == null || maxSize.toBytes() <= 0) {
            throw new IllegalArgumentException("BUILD_CACHE_LOCAL_MAX must not be negative and BUILD_CACHE_MAX_SIZE"
                    + " must be positive: " + localMax + ", " + maxSize);
        }
        if (maxFiles < 1) {
            throw new IllegalArgumentException("BUILD_CACHE_MAX_FILES must be at least 1: " + maxFiles);
        }
        if (keep < 1) {
            throw new IllegalArgumentException("BUILD_CACHE_KEEP must be at least 1: " + keep);
        }
    }

    /** The bounds of one entry, packed, unpacked or fingerprinted. */
    CacheArchive.Bounds bounds() {
        return new CacheArchive.Bounds(maxSize.toBytes(), maxFiles);
    }
}
