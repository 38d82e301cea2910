package dev.deploypipeline.deploy.publish;

import dev.deploypipeline.deploy.SettingFormat;
import dev.deploypipeline.deploy.builder.BuildFailedException;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.storage.ObjectCopy;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.storage.ObjectStorage;
import dev.deploypipeline.storage.ObjectUpload;
import dev.deploypipeline.storage.RelativePath;
import dev.deploypipeline.storage.StoredObjectInfo;
import dev.deploypipeline.text.SkippedNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Puts a built site under {@code dist/{id}/} and its build log at {@code logs/{id}.log}. */
@Component
public class SitePublisher {

    private static final Logger log = LoggerFactory.getLogger(SitePublisher.class);
    private static final String LOG_CONTENT_TYPE = "text/plain; charset=utf-8";

    private final ObjectStorage storage;
    private final SiteLimits limits;
    private final ContentTypes contentTypes = new ContentTypes();

    public SitePublisher(ObjectStorage storage, SiteLimits limits) {
        this.storage = storage;
        this.limits = limits;
    }

    /**
     * Uploads every regular file under {@code output}, keyed by its path there, and returns how many.
     * Symbolic links are skipped, never followed: a build could point one at any file on this machine. The
     * caller makes sure nothing of the build runs any more, so nothing can be swapped after the walk; each file
     * is opened without following a link in its place all the same.
     * A site past {@code SITE_MAX_FILES} or {@code SITE_MAX_SIZE} fails before anything is uploaded.
     *
     * @param owned whether this attempt still owns the deployment, asked once its files are written: only then are
     *     an earlier attempt's files it lacks removed
     */
    public int publishSite(DeploymentId id, Path output, BooleanSupplier owned) throws IOException {
        List<ObjectUpload> uploads = new ArrayList<>();
        SkippedNames links = new SkippedNames("symbolic links");
        SkippedNames unsafe = new SkippedNames("files whose names cannot be site paths");
        long size = 0;
        try (Stream<Path> paths = Files.walk(output)) {
            for (Iterator<Path> files = paths.iterator(); files.hasNext(); ) {
                Path file = files.next();
                if (Files.isSymbolicLink(file)) {
                    links.add(output.relativize(file).toString());
                } else if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    size += upload(id, output, file, uploads, unsafe);
                    checkLimits(uploads.size(), size);
                }
            }
        }
        links.tell(log);
        unsafe.tell(log);
        replace(id, uploads.stream().map(ObjectUpload::key).toList(), () -> storage.putAll(uploads), owned);
        log.info("Published {} files to {}", uploads.size(), ObjectKeys.site(id));
        return uploads.size();
    }

    /**
     * Publishes the stored objects under {@code folder} (the listing of the sources, in full) by copying them
     * within the bucket, keyed by their path below it, and returns how many: no byte passes through this replica.
     * The sources hold regular files only (upload-service resolved links inside the commit and skipped the rest);
     * a key that is not a safe site path is skipped as a file of that name would be, and {@code SITE_MAX_FILES}
     * and {@code SITE_MAX_SIZE} are held against the listed sizes before anything is copied.
     */
    public int copySite(DeploymentId id, String folder, List<StoredObjectInfo> sources, BooleanSupplier owned) {
        String from = ObjectKeys.sources(id) + folder;
        List<ObjectCopy> copies = new ArrayList<>();
        SkippedNames unsafe = new SkippedNames("files whose names cannot be site paths");
        long size = 0;
        for (StoredObjectInfo object : sources) {
            String relative = object.key().startsWith(from) ? object.key().substring(from.length()) : "";
            if (relative.isEmpty()) {
                continue;
            }
            if (!RelativePath.isSafe(relative)) {
                unsafe.add(relative);
                continue;
            }
            String name = relative.substring(relative.lastIndexOf('/') + 1);
            copies.add(new ObjectCopy(object.key(), ObjectKeys.site(id) + relative, contentTypes.of(name)));
            size += object.size();
            checkLimits(copies.size(), size);
        }
        unsafe.tell(log);
        replace(id, copies.stream().map(ObjectCopy::key).toList(), () -> storage.copyAll(copies), owned);
        log.info("Published {} files to {} by copying them within the bucket", copies.size(), ObjectKeys.site(id));
        return copies.size();
    }

    /**
     * Writes the site, then removes what an earlier attempt of the deployment left that it lacks, while this attempt
     * still owns it: a delivery that is built again leaves no file of its earlier attempt behind, and an earlier
     * attempt's files stay in place until this one's are written. So a publish that breaks off (its S3 failing)
     * leaves a site whole, and a builder that lost the deployment while it wrote (the one that took over may have
     * published and deployed it) leaves that one's files where they are. What is there is listed before the write,
     * when a first attempt finds nothing at all, so only a site published again pays for more than one listing.
     */
    private void replace(DeploymentId id, List<String> keys, Runnable write, BooleanSupplier owned) {
        List<StoredObjectInfo> earlier = storage.list(ObjectKeys.site(id));
        write.run();
        if (earlier.isEmpty()) {
            return;
        }
        if (!owned.getAsBoolean()) {
            log.warn("Deployment {} was taken over while its files were written; the other builder's stay", id);
            return;
        }
        Set<String> written = Set.copyOf(keys);
        earlier.stream()
                .map(StoredObjectInfo::key)
                .filter(key -> !written.contains(key))
                .forEach(storage::delete);
    }

    private void checkLimits(int files, long size) {
        if (files > limits.maxFiles()) {
            throw new BuildFailedException(
                    "the site is too large: it has more than " + limits.maxFiles() + " files (SITE_MAX_FILES)");
        }
        if (size > limits.maxSize().toBytes()) {
            throw new BuildFailedException("the site is too large: its files hold more than "
                    + SettingFormat.size(limits.maxSize()) + " (SITE_MAX_SIZE)");
        }
    }

    /** Adds the file to the uploads, measured and later read without following links; returns its length. */
    private long upload(DeploymentId id, Path output, Path file, List<ObjectUpload> uploads, SkippedNames unsafe)
            throws IOException {
        String relative = keyPath(output.relativize(file));
        if (!RelativePath.isSafe(relative)) {
            unsafe.add(relative);
            return 0;
        }
        ObjectUpload upload = ObjectUpload.ofFile(
                ObjectKeys.site(id) + relative,
                file,
                contentTypes.of(file.getFileName().toString()));
        uploads.add(upload);
        return upload.length();
    }

    /** The path's names joined with {@code /}, whatever this machine's separator. */
    private static String keyPath(Path relative) {
        return StreamSupport.stream(relative.spliterator(), false)
                .map(Path::toString)
                .collect(Collectors.joining("/"));
    }

    public void publishLog(DeploymentId id, Path buildLog) throws IOException {
        if (Files.isRegularFile(buildLog, LinkOption.NOFOLLOW_LINKS)) {
            storage.putAll(List.of(ObjectUpload.ofFile(ObjectKeys.log(id), buildLog, LOG_CONTENT_TYPE)));
        }
    }

    /** Takes a site down again, when its deployment ended some other way while it was building. */
    public void unpublish(DeploymentId id) {
        storage.deleteAll(ObjectKeys.site(id));
    }
}
