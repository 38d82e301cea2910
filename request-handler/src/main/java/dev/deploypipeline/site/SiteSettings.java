package dev.deploypipeline.site;

import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;

/**
 * How sites are found and how long lookups are kept.
 *
 * @param baseDomain sites answer at {@code {id}.{baseDomain}} and {@code {project}.{baseDomain}} ({@code BASE_DOMAIN})
 * @param lookupTtl how long which deployment a host serves is remembered; alias changes are seen at once
 *     anyway, through pub/sub, so this only bounds how late a newly deployed id or a settings change shows
 *     ({@code SITE_LOOKUP_TTL})
 * @param objectCacheEntries how many files' metadata (length, type, ETag) are remembered; a deployed
 *     site never changes, so they are kept until evicted ({@code SITE_OBJECT_CACHE_ENTRIES})
 */
@ConfigurationProperties("site")
public record SiteSettings(
        @DefaultValue("localhost") String baseDomain,
        @DefaultValue("3s") Duration lookupTtl,
        @DefaultValue("10000") int objectCacheEntries) {

    public SiteSettings {
        // An empty variable (as compose passes one that is not set in the shell) means the default.
        baseDomain = baseDomain == null || baseDomain.isBlank() ? "localhost" : baseDomain;
        baseDomain = StringUtils.trimTrailingCharacter(
                StringUtils.trimLeadingCharacter(baseDomain.trim().toLowerCase(Locale.ROOT), '.'), '.');
        lookupTtl = lookupTtl == null ? Duration.ofSeconds(3) : lookupTtl;
        if (lookupTtl.isNegative() || objectCacheEntries < 0) {
            throw new IllegalArgumentException("SITE_LOOKUP_TTL and SITE_OBJECT_CACHE_ENTRIES must not be negative");
        }
    }
}
