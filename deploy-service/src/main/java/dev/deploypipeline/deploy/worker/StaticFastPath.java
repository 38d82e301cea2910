package dev.deploypipeline.deploy.worker;

import dev.deploypipeline.deploy.DeploySettings;
import dev.deploypipeline.deploy.builder.BuildControl;
import dev.deploypipeline.deploy.builder.BuildFailedException;
import dev.deploypipeline.deploy.builder.StaticSiteDetector;
import dev.deploypipeline.deploy.log.BuildLog;
import dev.deploypipeline.deploy.log.BuildLogs;
import dev.deploypipeline.deploy.metrics.BuildPhases;
import dev.deploypipeline.deploy.metrics.BuildPhases.Phase;
import dev.deploypipeline.deploy.publish.SitePublisher;
import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.retry.TransientFaults;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.storage.ObjectStorage;
import dev.deploypipeline.storage.StoredObject;
import dev.deploypipeline.storage.StoredObjectInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A deployment with nothing to build is published without downloading it: its stored sources are copied within
 * the bucket to {@code dist/{id}/}, with no sandbox, no build disk and no byte through this replica. What the
 * download would have been held to is held against the listing: {@code FETCH_MAX_SIZE} on all the sources,
 * {@code SITE_MAX_FILES} and {@code SITE_MAX_SIZE} on the site. Any deployment it is unsure of (a build to run,
 * settings in error, no files where the site should be) it leaves to the build, which says why.
 */
@Component
class StaticFastPath {

    private static final Logger log = LoggerFactory.getLogger(StaticFastPath.class);
    /** How the publishing log files in {@code DEPLOY_WORK_DIR} end, so that a sweep knows them. */
    static final String LOG_SUFFIX = ".publish.log";

    private final BuildSettingsResolver settings;
    private final ObjectStorage storage;
    private final StaticSiteDetector detector;
    private final SitePublisher publisher;
    private final BuildLogs logs;
    private final BuildOwnership ownership;
    private final OutcomeRecorder recorder;
    private final DeploySettings deploySettings;
    private final TransientFaults retries;
    private final BuildPhases phases;

    StaticFastPath(
            BuildSettingsResolver settings,
            ObjectStorage storage,
            StaticSiteDetector detector,
            SitePublisher publisher,
            BuildLogs logs,
            BuildOwnership ownership,
            OutcomeRecorder recorder,
            DeploySettings deploySettings,
            TransientFaults retries,
            BuildPhases phases) {
        this.settings = settings;
        this.storage = storage;
        this.detector = detector;
        this.publisher = publisher;
        this.logs = logs;
        this.ownership = ownership;
        this.recorder = recorder;
        this.deploySettings = deploySettings;
        this.retries = retries;
        this.phases = phases;
        sweepLeftLogs(deploySettings.workDir(), Instant.now().minus(deploySettings.buildTimeout()));
    }

    /**
     * Removes the publishing logs a replica killed mid-publish left in {@code workDir}: those last written before
     * {@code before}, older than any publish could run (replicas sharing the folder keep theirs). Returns how many.
     */
    static int sweepLeftLogs(Path workDir, Instant before) {
        if (!Files.isDirectory(workDir, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        List<Path> left;
        try (Stream<Path> entries = Files.list(workDir)) {
            left = entries.filter(path -> path.getFileName().toString().endsWith(LOG_SUFFIX))
                    .filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
                    .filter(path -> lastWritten(path).isBefore(before))
                    .toList();
        } catch (IOException e) {
            log.warn("Could not look for publishing logs left in {}", workDir, e);
            return 0;
        }
        left.forEach(StaticFastPath::deleteQuietly);
        if (!left.isEmpty()) {
            log.warn(
                    "Removed {} publishing logs left in {} by a replica that stopped mid-publish",
                    left.size(),
                    workDir);
        }
        return left.size();
    }

    private static Instant lastWritten(Path file) {
        try {
            return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant();
        } catch (IOException e) {
            return Instant.MAX; // gone already, or unreadable: not this sweep's
        }
    }

    /** How publishing ended, or empty when the deployment is to be built (nothing was published then). */
    Optional<Ending> publish(DeploymentId id, String builder, BuildControl control) throws InterruptedException {
        BuildSettings buildSettings;
        List<StoredObjectInfo> sources;
        Optional<String> folder;
        try {
            buildSettings = retries.get(() -> settings.settingsOf(id));
            sources = retries.get(() -> storage.list(ObjectKeys.sources(id)));
            long total = sources.stream().mapToLong(StoredObjectInfo::size).sum();
            if (total > deploySettings.sourcesMaxSize().toBytes()) {
                return Optional.empty(); // the download refuses them, with its own words
            }
            folder = detector.siteFolder(buildSettings, path -> read(id, path, sources));
        } catch (RuntimeException e) {
            throwIfInterrupted(e);
            log.info("Leaving deployment {} to the build: {}", id, e.toString());
            return Optional.empty();
        }
        if (folder.isEmpty() || !holdsFiles(id, folder.get(), sources)) {
            return Optional.empty();
        }
        Path logFile;
        try {
            logFile = Files.createTempFile(deploySettings.workDir(), id + "-", LOG_SUFFIX);
        } catch (IOException e) {
            return Optional.empty(); // the build's own folder fails the same way, and says so
        }
        try {
            return Optional.of(publishWithLog(id, builder, control, buildSettings, folder.get(), sources, logFile));
        } finally {
            deleteQuietly(logFile);
        }
    }

    private Ending publishWithLog(
            DeploymentId id,
            String builder,
            BuildControl control,
            BuildSettings buildSettings,
            String folder,
            List<StoredObjectInfo> sources,
            Path logFile)
            throws InterruptedException {
        Ending ending;
        try (BuildLog buildLog = logs.open(id, logFile)) {
            buildLog.hide(buildSettings.env().values());
            buildLog.line("Build plan: static site; publishing " + (folder.isEmpty() ? "the sources" : folder)
                    + " as they are, copied within the bucket");
            ending = copy(id, builder, control, folder, sources, buildLog);
            buildLog.line(ending.summary());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (ending.outcome() != Outcome.DISCARDED) {
            try {
                retries.run(() -> publisher.publishLog(id, logFile));
            } catch (RuntimeException e) {
                log.warn("Could not store the build log of {}", id, e);
            }
        }
        return ending;
    }

    private Ending copy(
            DeploymentId id,
            String builder,
            BuildControl control,
            String folder,
            List<StoredObjectInfo> sources,
            BuildLog buildLog)
            throws InterruptedException {
        if (control.isStopped() || !retries.get(() -> ownership.owns(id, builder))) {
            return recorder.stopped(id, builder);
        }
        try {
            Instant publishing = phases.now();
            int files = retries.get(() ->
                    publisher.copySite(id, folder, sources, () -> retries.get(() -> ownership.owns(id, builder))));
            phases.ended(Phase.PUBLISH, publishing);
            buildLog.line("Copied " + files + " files");
            return Ending.published();
        } catch (BuildFailedException e) {
            return Ending.failed(buildLog.masked(e.getMessage()));
        } catch (RuntimeException e) {
            throwIfInterrupted(e);
            log.error("Could not copy the site of {}", id, e);
            return Ending.failed(
                    buildLog.masked("upload failed: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    /** A shutdown interrupted a step: not the deployment's fault, and it will be built again. */
    private static void throwIfInterrupted(Exception e) throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("interrupted during " + e);
        }
    }

    private static boolean holdsFiles(DeploymentId id, String folder, List<StoredObjectInfo> sources) {
        String prefix = ObjectKeys.sources(id) + folder;
        return sources.stream().anyMatch(object -> object.key().startsWith(prefix));
    }

    /** A source file's bytes, only when the listing has it and it is small; too large throws, to build instead. */
    private Optional<byte[]> read(DeploymentId id, String path, List<StoredObjectInfo> sources) {
        String key = ObjectKeys.sources(id) + path;
        Optional<StoredObjectInfo> listed =
                sources.stream().filter(object -> object.key().equals(key)).findFirst();
        if (listed.isEmpty()) {
            return Optional.empty();
        }
        if (listed.get().size() > StaticSiteDetector.MAX_MANIFEST_SIZE) {
            return Optional.of(new byte[] {'!'}); // not JSON: the build reads it and decides
        }
        return retries.get(() -> storage.open(key).map(StaticFastPath::readAll));
    }

    private static byte[] readAll(StoredObject object) {
        try (object) {
            return object.body().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not remove {}", file, e);
        }
    }
}
