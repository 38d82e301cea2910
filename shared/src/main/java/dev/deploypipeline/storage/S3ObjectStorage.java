package dev.deploypipeline.storage;

import dev.deploypipeline.threads.NamedThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Object storage on S3 or any S3-compatible server, with transfers run in parallel on a bounded pool. */
public final class S3ObjectStorage implements ObjectStorage, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(S3ObjectStorage.class);

    /** Bodies from this size ask the server before they are sent ({@code Expect: 100-continue}). */
    static final long EXPECT_CONTINUE_FROM = 1024 * 1024;

    /** Objects up to this size are read into memory before they are sent. */
    private static final int IN_MEMORY = 256 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final ExecutorService transfers;

    public S3ObjectStorage(S3Settings settings) {
        this.s3 = client(settings);
        this.bucket = settings.bucket();
        this.transfers = NamedThreads.pool("s3-transfer", settings.parallelism());
    }

    private static S3Client client(S3Settings settings) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                // S3-compatible servers reject the SDK's default trailing checksums; send them only when required.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .serviceConfiguration(S3Configuration.builder()
                        // A body is signed whole, not as aws-chunked: one header hash instead of a signature per
                        // chunk, which the server must parse and check, per object.
                        .chunkedEncodingEnabled(false)
                        // Expect: 100-continue costs a round trip per object, waiting for the server's go-ahead
                        // before the body: worth it only for a body large enough to be worth not sending.
                        .expectContinueThresholdInBytes(EXPECT_CONTINUE_FROM)
                        .build())
                .httpClientBuilder(ApacheHttpClient.builder()
                        .maxConnections(settings.connections())
                        // The client's own Expect header on every body, which the threshold above cannot lift.
                        .expectContinueEnabled(false));
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint()).forcePathStyle(true);
        }
        return builder.build();
    }

    /** Creates the bucket when it is missing. */
    public void ensureBucket() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException missing) {
            create();
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            create();
        }
    }

    /** Services starting together may race to create it: finding it made by another is as good. */
    private void create() {
        log.info("Creating bucket {}", bucket);
        try {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException createdMeanwhile) {
            log.info("Bucket {} was created meanwhile", bucket);
        }
    }

    @Override
    public void putAll(Collection<ObjectUpload> uploads) {
        inParallel(uploads.stream().map(upload -> (Runnable) () -> put(upload)).toList());
    }

    @Override
    public String put(ObjectUpload upload) {
        return s3.putObject(
                        b -> b.bucket(bucket)
                                .key(upload.key())
                                .contentType(upload.contentType())
                                .contentLength(upload.length()),
                        body(upload))
                .eTag();
    }

    /**
     * A small object is read once into memory: the signature's hash of the body and the request then share one
     * read. A larger one is opened twice, once for each, so no more than {@link #IN_MEMORY} bytes per transfer are
     * ever held.
     */
    private static RequestBody body(ObjectUpload upload) {
        if (upload.length() <= IN_MEMORY) {
            try (InputStream content = upload.content().open()) {
                byte[] bytes = content.readNBytes((int) upload.length() + 1);
                if (bytes.length != upload.length()) {
                    throw new IOException(upload.key() + " holds " + bytes.length + " bytes, not the " + upload.length()
                            + " announced");
                }
                return RequestBody.fromBytes(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return RequestBody.fromContentProvider(
                () -> {
                    try {
                        return upload.content().open();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                upload.length(),
                upload.contentType());
    }

    @Override
    public void copyAll(Collection<ObjectCopy> copies) {
        inParallel(copies.stream().map(copy -> (Runnable) () -> copy(copy)).toList());
    }

    /** A server-side copy; REPLACE, as the copy's type is not the source's (sources are stored untyped). */
    private void copy(ObjectCopy copy) {
        s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey(copy.sourceKey())
                .destinationBucket(bucket)
                .destinationKey(copy.key())
                .metadataDirective(MetadataDirective.REPLACE)
                .contentType(copy.contentType()));
    }

    @Override
    public List<StoredObjectInfo> list(String prefix) {
        List<StoredObjectInfo> objects = new ArrayList<>();
        for (S3Object object :
                s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            objects.add(new StoredObjectInfo(object.key(), object.size(), object.lastModified()));
        }
        return objects;
    }

    @Override
    public void downloadAll(String prefix, Path directory, long maxBytes) {
        List<StoredObjectInfo> objects = list(prefix);
        long total = objects.stream().mapToLong(StoredObjectInfo::size).sum();
        if (total > maxBytes) {
            throw new TooLargeException(objects.size() + " objects under " + prefix + " hold " + total
                    + " bytes, more than the " + maxBytes + " allowed");
        }
        List<Runnable> downloads = new ArrayList<>();
        for (StoredObjectInfo object : objects) {
            Path target = new RelativePath(object.key().substring(prefix.length())).under(directory);
            downloads.add(() -> download(object.key(), target));
        }
        inParallel(downloads);
    }

    private void download(String key, Path target) {
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toFile(target));
    }

    @Override
    public Optional<StoredObject> open(String key) {
        return get(GetObjectRequest.builder().bucket(bucket).key(key).build());
    }

    @Override
    public Optional<StoredObject> open(String key, long first, long last) {
        return get(GetObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .range("bytes=" + first + "-" + last)
                .build());
    }

    private Optional<StoredObject> get(GetObjectRequest request) {
        try {
            ResponseInputStream<GetObjectResponse> body = s3.getObject(request);
            GetObjectResponse response = body.response();
            return Optional.of(new StoredObject(
                    request.key(),
                    response.contentLength(),
                    response.contentType(),
                    response.eTag(),
                    new ObjectBody(body, response.contentLength())));
        } catch (NoSuchKeyException missing) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<ObjectMetadata> head(String key) {
        try {
            HeadObjectResponse response = s3.headObject(b -> b.bucket(bucket).key(key));
            return Optional.of(
                    new ObjectMetadata(key, response.contentLength(), response.contentType(), response.eTag()));
        } catch (NoSuchKeyException missing) {
            return Optional.empty();
        } catch (S3Exception e) {
            // A HEAD answer has no body, so some servers' 404 arrives without the NoSuchKey code.
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void deleteAll(String prefix) {
        inParallel(list(prefix).stream()
                .map(object -> (Runnable) () -> delete(object.key()))
                .toList());
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    private void inParallel(List<Runnable> tasks) {
        List<CompletableFuture<Void>> running = tasks.stream()
                .map(task -> CompletableFuture.runAsync(task, transfers))
                .toList();
        try {
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            running.forEach(future -> future.cancel(false));
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        transfers.shutdownNow();
        s3.close();
    }
}
