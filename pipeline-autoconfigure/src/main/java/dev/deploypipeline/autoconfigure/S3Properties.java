package dev.deploypipeline.autoconfigure;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where every service keeps objects ({@code S3_ENDPOINT}, {@code S3_BUCKET}, {@code S3_PARALLELISM}); the signing
 * region is {@link AwsProperties}', the keys the standard AWS credential chain's.
 *
 * @param endpoint an S3-compatible endpoint (S3Proxy, MinIO); empty means AWS
 * @param bucket the one bucket, created at start when missing
 * @param parallelism transfers to and from S3 that run at once
 */
@ConfigurationProperties("s3")
public record S3Properties(
        URI endpoint,
        @DefaultValue("deployments") String bucket,
        @DefaultValue("16") int parallelism) {

    public S3Properties {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("S3_BUCKET must not be empty");
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("S3_PARALLELISM must be at least 1: " + parallelism);
        }
    }
}
