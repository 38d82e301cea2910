package dev.deploypipeline.site;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long lookups are kept ({@code SITE_LOOKUP_TTL}, {@code SITE_OBJECT_CACHE_ENTRIES}); the domain sites are
 * served under is {@link dev.deploypipeline.autoconfigure.BaseDomain}'s.
 *
 * @param lookupTtl how long which deployment a host serves is kept; bounds how late a newly deployed id or a
 *     changed {@code spaFallback} shows (alias moves show at once, through pub/sub)
 * @param objectCacheEntries how many files' length, type and ETag are kept; a deployed site never changes, so
 *     they are kept until evicted
 */
@ConfigurationProperties("site")
public record SiteSettings(
        @DefaultValue("3s") Duration lookupTtl,
        @DefaultValue("10000") int objectCacheEntries) {

    public SiteSettings {
        if (lookupTtl == null || lookupTtl.isNegative() || objectCacheEntries < 0) {
            throw new IllegalArgumentException("SITE_LOOKUP_TTL and SITE_OBJECT_CACHE_ENTRIES must not be negative");
        }
    }
}
