package dev.deploypipeline.bench;

import dev.deploypipeline.storage.S3Settings;
import dev.deploypipeline.testing.RestartableServer;
import dev.deploypipeline.testing.S3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
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
    private final RestartableServer server;
    private final S3AsyncClient client;
    private final S3TransferManager transfers;

    ReferenceUpload(Commands commands, S3Settings bucket, RestartableServer server) {
        this.commands = commands;
        this.bucket = bucket;
        this.server = server;
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

    /**
     * One run: how long the clone and the upload took, how many objects the upload stored, and the S3 server's CPU
     * time over the upload (empty where the server's process is not this JVM's child).
     */
    record Run(Duration took, long objects, Optional<Duration> serverCpu) {}

    /** Clones into {@code folder} and uploads it under {@code prefix}. */
    Run run(String repoUrl, Path folder, String prefix) {
        Instant start = Instant.now();
        clone(repoUrl, folder);
        Optional<Duration> cpuBefore = server.cpuTime();
        CompletedDirectoryUpload done = transfers
                .uploadDirectory(UploadDirectoryRequest.builder()
                        .source(folder)
                        .bucket(bucket.bucket())
                        .s3Prefix(prefix)
                        .build())
                .completionFuture()
                .join();
        Duration took = Duration.between(start, Instant.now());
        Optional<Duration> serverCpu =
                cpuBefore.flatMap(before -> server.cpuTime().map(after -> after.minus(before)));
        if (!done.failedTransfers().isEmpty()) {
            throw new IllegalStateException(
                    "the reference upload failed: " + done.failedTransfers().get(0));
        }
        return new Run(took, files(folder), serverCpu);
    }

    /**
     * What a user of the AWS CLI would run, where the machine has it: {@code git clone --depth 1}, then {@code aws s3
     * cp --recursive} of the clone to the same S3 server; empty without an {@code aws} on the PATH.
     */
    Optional<Duration> runCli(String repoUrl, Path folder, String prefix) {
        Optional<Path> aws = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry, "aws"))
                .filter(Files::isExecutable)
                .findFirst();
        if (aws.isEmpty()) {
            return Optional.empty();
        }
        Instant start = Instant.now();
        clone(repoUrl, folder);
        commands.run(
                folder.getParent(),
                Map.of(
                        "AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY,
                        "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY,
                        "AWS_DEFAULT_REGION", bucket.region()),
                aws.get().toString(),
                "s3",
                "cp",
                "--recursive",
                "--quiet",
                "--endpoint-url",
                bucket.endpoint().toString(),
                folder.toString(),
                "s3://" + bucket.bucket() + "/" + prefix);
        return Optional.of(Duration.between(start, Instant.now()));
    }

    private void clone(String repoUrl, Path folder) {
        commands.run(folder.getParent(), "git", "clone", "--quiet", "--depth", "1", repoUrl, folder.toString());
    }

    private static long files(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        transfers.close();
        client.close();
    }
}
