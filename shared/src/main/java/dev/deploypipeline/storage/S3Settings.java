package dev.deploypipeline.storage;

import java.net.URI;
import java.util.function.Function;

/**
 * Where objects live.
 *
 * @param endpoint an S3-compatible endpoint (S3Proxy, MinIO), or {@code null} for AWS itself
 * @param bucket the one bucket, created at start when missing
 * @param region the signing region; {@code us-east-1} when unset
 * @param parallelism how many transfers run at once
 */
public record S3Settings(URI endpoint, String bucket, String region, int parallelism) {

    public S3Settings {
        bucket = bucket == null || bucket.isBlank() ? "deployments" : bucket;
        region = region == null || region.isBlank() ? "us-east-1" : region;
        parallelism = parallelism <= 0 ? 16 : parallelism;
    }

    /**
     * From the documented variables ({@code S3_ENDPOINT}, {@code S3_BUCKET}, {@code AWS_REGION},
     * {@code S3_PARALLELISM}); credentials come from the standard AWS chain.
     */
    public static S3Settings fromEnvironment(Function<String, String> lookup) {
        String endpoint = lookup.apply("S3_ENDPOINT");
        String parallelism = lookup.apply("S3_PARALLELISM");
        return new S3Settings(
                endpoint == null || endpoint.isBlank() ? null : URI.create(endpoint.trim()),
                lookup.apply("S3_BUCKET"),
                lookup.apply("AWS_REGION"),
                parallelism == null || parallelism.isBlank() ? 0 : Integer.parseInt(parallelism.trim()));
    }
}
