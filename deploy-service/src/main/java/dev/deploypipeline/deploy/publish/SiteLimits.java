package dev.deploypipeline.deploy.publish;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * How big a published site may be (see application.properties for the variables).
 *
 * @param maxSize the most its files may hold together ({@code SITE_MAX_SIZE})
 * @param maxFiles the most files it may have ({@code SITE_MAX_FILES})
 */
@ConfigurationProperties("deploy.site")
public record SiteLimits(DataSize maxSize, int maxFiles) {

    public SiteLimits {
        maxSize = maxSize != null && maxSize.toBytes() > 0 ? maxSize : DataSize.ofMegabytes(500);
        maxFiles = maxFiles > 0 ? maxFiles : 20_000;
    }

    public static SiteLimits defaults() {
        return new SiteLimits(null, 0);
    }
}
