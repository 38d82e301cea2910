package dev.deploypipeline.deploy.cache;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The dependency cache ({@code BUILD_CACHE_LOCAL_MAX}, {@code BUILD_CACHE_MAX_SIZE}, {@code BUILD_CACHE_KEEP}).
 *
 * @param localMax the most this replica keeps of cache entries on its own disk, least recently used left out first
 * @param maxSize the most one cache entry may hold, uncompressed; a build whose stores hold more saves none
 * @param keep how many entries one project (or repository) keeps in the bucket; a save removes the least recently
 *     used past it
 */
@ConfigurationProperties("build.cache")
public record CacheSettings(
        @DefaultValue("5GB") DataSize localMax,
        @DefaultValue("1GB") DataSize maxSize,
        @DefaultValue("5") int keep) {

    public CacheSettings {
        if (localMax == null || localMax.isNegative() || maxSize == null || maxSize.toBytes() <= 0) {
            throw new IllegalArgumentException("BUILD_CACHE_LOCAL_MAX must not be negative and BUILD_CACHE_MAX_SIZE"
                    + " must be positive: " + localMax + ", " + maxSize);
        }
        if (keep < 1) {
            throw new IllegalArgumentException("BUILD_CACHE_KEEP must be at least 1: " + keep);
        }
    }
}
