package dev.deploypipeline.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The AWS setting the pipeline reads itself ({@code AWS_REGION}); the keys ({@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY}) are found by the SDK's standard credential chain.
 *
 * @param region the signing region
 */
@ConfigurationProperties("aws")
public record AwsProperties(@DefaultValue("us-east-1") String region) {

    public AwsProperties {
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("AWS_REGION must not be empty");
        }
    }
}
