package dev.deploypipeline.bench;

import dev.deploypipeline.storage.S3Settings;
import dev.deploypipeline.testing.S3Server;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.transfer.s3.S3TransferManager;
import software.amazon.awssdk.transfer.s3.model.CompletedDirectoryUpload;
import software.amazon.awssdk.transfer.s3.model.UploadDirectoryRequest;

/**
 * The reference for the pipeline's fetch and upload: {@code git clone --depth 1} into a fresh folder, then the AWS
 * SDK's own {@code S3TransferManager.uploadDirectory} of the clone (its {@code .git} included, as {@code aws s3 cp
 * --recursive} would), to the same S3 server. The client is made once, before anything is timed.
 */
final class ReferenceUpload implements AutoCloseable {

    private final Commands commands;
    private final S3Settings bucket;
    private final S3AsyncClient client;
    private final S3TransferManager transfers;

    ReferenceUpload(Commands commands, S3Settings bucket) {
        this.commands = commands;
        this.bucket = bucket;
        this.client = S3AsyncClient.builder()
                .region(Region.of(bucket.region()))
                .endpointOverride(bucket.endpoint())
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
        this.transfers = S3TransferManager.builder().s3Client(client).build();
    }

    /** Clones into {@code folder} and uploads it under {@code prefix}; returns how long both took. */
    Duration run(String repoUrl, Path folder, String prefix) {
        Instant start = Instant.now();
        commands.run(folder.getParent(), "git", "clone", "--quiet", "--depth", "1", repoUrl, folder.toString());
        CompletedDirectoryUpload done = transfers
                .uploadDirectory(UploadDirectoryRequest.builder()
                        .source(folder)
                        .bucket(bucket.bucket())
                        .s3Prefix(prefix)
                        .build())
                .completionFuture()
                .join();
        Duration took = Duration.between(start, Instant.now());
        if (!done.failedTransfers().isEmpty()) {
            throw new IllegalStateException(
                    "the reference upload failed: " + done.failedTransfers().get(0));
        }
        return took;
    }

    @Override
    public void close() {
        transfers.close();
        client.close();
    }
}
