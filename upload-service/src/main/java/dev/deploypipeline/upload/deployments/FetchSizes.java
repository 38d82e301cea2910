package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.storage.ObjectUpload;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * What each fetched commit held, as histograms: {@code upload.fetch.size} ({@code upload_fetch_size_bytes} in
 * Prometheus), its files' bytes uncompressed, and {@code upload.fetch.files} ({@code upload_fetch_files}), how many
 * files were uploaded to {@code output/{id}/}.
 */
@Component
class FetchSizes {

    private static final double GIGABYTE = 1024.0 * 1024 * 1024;

    private final DistributionSummary bytes;
    private final DistributionSummary files;

    FetchSizes(MeterRegistry registry) {
        this.bytes = DistributionSummary.builder("upload.fetch.size")
                .description("The bytes of each fetched commit's files, uncompressed")
                .baseUnit("bytes")
                .publishPercentileHistogram()
                .maximumExpectedValue(GIGABYTE)
                .register(registry);
        this.files = DistributionSummary.builder("upload.fetch.files")
                .description("How many files each fetched commit had")
                .publishPercentileHistogram()
                .maximumExpectedValue(100_000.0)
                .register(registry);
    }

    void fetched(List<ObjectUpload> uploads) {
        bytes.record(uploads.stream().mapToLong(ObjectUpload::length).sum());
        files.record(uploads.size());
    }
}
