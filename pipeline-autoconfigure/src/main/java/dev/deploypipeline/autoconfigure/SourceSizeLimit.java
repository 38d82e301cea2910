package dev.deploypipeline.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The most a deployment's sources may hold ({@code FETCH_MAX_SIZE}): upload-service holds a fetched commit to it,
 * deploy-service the sources it downloads to build. Not auto-configured: a service that needs it enables it.
 *
 * @param maxSize the most a commit's files may hold together, uncompressed
 */
@ConfigurationProperties("fetch")
public record SourceSizeLimit(@DefaultValue("1GB") DataSize maxSize) {

    public SourceSizeLimit {
        if (maxSize == null || maxSize.toBytes() <= 0) {
            throw new IllegalArgumentException("FETCH_MAX_SIZE must be positive: " + maxSize);
        }
    }
}
