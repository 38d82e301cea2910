package dev.deploypipeline.upload.access;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How much a caller may send ({@code MAX_REQUEST_SIZE}); the webhook has a limit of its own
 * ({@code GITHUB_MAX_PAYLOAD_SIZE}).
 *
 * @param requestSize the largest request body the API reads; a larger one is answered 413
 */
@ConfigurationProperties("max")
public record RequestSizeLimit(@DefaultValue("64KB") DataSize requestSize) {

    public RequestSizeLimit {
        if (requestSize == null || requestSize.toBytes() <= 0) {
            throw new IllegalArgumentException("MAX_REQUEST_SIZE must be positive: " + requestSize);
        }
    }
}
