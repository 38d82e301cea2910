package dev.deploypipeline.deploy.publish;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How big a published site may be ({@code SITE_MAX_SIZE}, {@code SITE_MAX_FILES}).
 *
 * @param maxSize the most a site's files may hold together; a bigger site fails
 * @param maxFiles the most files a site may have
 */
@ConfigurationProperties("site")
public record SiteLimits(
        @DefaultValue("500MB") DataSize maxSize,
        @DefaultValue("20000") int maxFiles) {

    public SiteLimits {
        if (maxSize == null || maxSize.toBytes() <= 0 || maxFiles < 1) {
            throw new IllegalArgumentException(
                    "SITE_MAX_SIZE and SITE_MAX_FILES must be positive: " + maxSize + ", " + maxFiles);
        }
    }
}
