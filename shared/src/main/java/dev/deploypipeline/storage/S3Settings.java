package dev.deploypipeline.storage;

import java.net.URI;
import java.util.Objects;

/**
 * Where objects live; the services fill it from their settings ({@code S3_ENDPOINT}, {@code S3_BUCKET},
 * {@code AWS_REGION}, {@code S3_PARALLELISM}). Credentials come from the standard AWS chain.
 *
 * @param endpoint an S3-compatible endpoint (S3Proxy, MinIO), or {@code null} for AWS itself
 * @param bucket the one bucket, created at start when missing
 * @param region the signing region
 * @param parallelism how many transfers run at once
 * @param connections how many connections to S3 are open at most; a request waits for one beyond that
 */
public record S3Settings(URI endpoint, String bucket, String region, int parallelism, int connections) {

    public S3Settings {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(region, "region");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1: " + parallelism);
        }
        if (connections < 1) {
            throw new IllegalArgumentException("connections must be at least 1: " + connections);
        }
    }

    /** Two connections per transfer that runs at once, as a service that only transfers needs. */
    public S3Settings(URI endpoint, String bucket, String region, int parallelism) {
        this(endpoint, bucket, region, parallelism, parallelism * 2);
    }
}
