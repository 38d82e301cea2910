package dev.deploypipeline.upload.git;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How repositories are fetched ({@code FETCH_CONCURRENCY}, {@code FETCH_BACKLOG}, {@code FETCH_IO_TIMEOUT},
 * {@code FETCH_WORK_DIR}, {@code FETCH_IN_MEMORY_MAX}) and the limits one fetch must stay within ({@code FETCH_TIMEOUT},
 * {@code FETCH_MAX_BYTES}, {@code FETCH_MAX_FILES}, {@code FETCH_MAX_FILE_SIZE}; {@code FETCH_MAX_SIZE}, which
 * deploy-service reads too, is {@link dev.deploypipeline.autoconfigure.SourceSizeLimit}'s). Past a limit the deployment
 * fails, naming it.
 *
 * @param concurrency fetches that run at once; more wait in the backlog
 * @param backlog accepted deployments that may wait for a fetch slot before {@code POST /deploy} answers 503
 * @param ioTimeout the longest silence from the git server before a fetch is abandoned
 * @param workDir where fetched repositories live while their files are uploaded; {@code upload-fetches} in the
 *     system temp folder when unset
 * @param inMemoryMax the most a fetch may receive while its repository is held in memory; past it the fetch starts
 *     again into {@code workDir}. Zero: every fetch is on disk
 * @param timeout the longest a whole fetch may take, from the first request to the last byte
 * @param maxBytes the most a fetch may receive from the git server (compressed, as sent)
 * @param maxFiles the most entries a commit's tree may name: files, folders, links and submodules
 * @param maxFileSize the largest one file may be
 */
@ConfigurationProperties("fetch")
public record FetchSettings(
        @DefaultValue("4") int concurrency,
        @DefaultValue("200") int backlog,
        @DefaultValue("60s") Duration ioTimeout,
        Path workDir,
        @DefaultValue("1MB") DataSize inMemoryMax,
        @DefaultValue("10m") Duration timeout,
        @DefaultValue("1GB") DataSize maxBytes,
        @DefaultValue("100000") int maxFiles,
        @DefaultValue("100MB") DataSize maxFileSize) {

    public FetchSettings {
        // The one default @DefaultValue cannot write: it depends on the machine.
        workDir = workDir == null ? Path.of(System.getProperty("java.io.tmpdir"), "upload-fetches") : workDir;
    }
}
