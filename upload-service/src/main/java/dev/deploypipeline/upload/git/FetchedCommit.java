package dev.deploypipeline.upload.git;

import dev.deploypipeline.storage.ObjectUpload;
import dev.deploypipeline.storage.RelativePath;
import dev.deploypipeline.text.SkippedNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.unit.DataSize;

/**
 * One fetched commit in a private bare repository, in memory or in a folder of its own. Its files are read straight
 * from the commit's tree, without a checkout (three times faster than JGit's checkout, nothing is written twice, and
 * nothing of the repository can point outside it on disk). Closing it removes the repository.
 */
public final class FetchedCommit implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FetchedCommit.class);

    private final Repository repository;
    private final ObjectId commit;
    private final String ref;
    private final Optional<String> defaultBranch;
    private final Optional<Path> directory;
    private final FetchSettings limits;
    private final DataSize maxSize;

    FetchedCommit(
            Repository repository,
            ObjectId commit,
            String ref,
            Optional<String> defaultBranch,
            Optional<Path> directory,
            FetchSettings limits,
            DataSize maxSize) {
        this.repository = repository;
        this.commit = commit;
        this.ref = ref;
        this.defaultBranch = defaultBranch;
        this.directory = directory;
        this.limits = limits;
        this.maxSize = maxSize;
    }

    public String id() {
        return commit.name();
    }

    /**
     * The ref fetched by its full name, as the server advertised it: {@code refs/heads/main} or {@code refs/tags/v1.2}
     * for the name asked for ({@code main} is the branch when there is one, else the tag), {@code HEAD} or the branch
     * it is a symbolic ref to when none was asked for.
     */
    public String ref() {
        return ref;
    }

    /**
     * The repository's default branch by its short name ({@code main}), as the server advertised HEAD's symref when
     * this was fetched; empty when it advertised none (a detached HEAD, or a server that does not say).
     */
    public Optional<String> defaultBranch() {
        return defaultBranch;
    }

    /**
     * Every regular and executable file of the commit as an upload under {@code keyPrefix}, checked against
     * {@code FETCH_MAX_FILES}, {@code FETCH_MAX_FILE_SIZE} and {@code FETCH_MAX_SIZE} before anything is uploaded:
     * sizes are read from the objects' headers, so a blob that many paths name is counted each time without
     * being expanded even once. Every entry the tree names counts toward {@code FETCH_MAX_FILES}: folders, links and
     * submodules too, uploaded or not, so a small tree that names one folder over and over stops the walk at the
     * limit. A symbolic link is uploaded with the content of the file it points at when that file is in the commit,
     * and skipped otherwise; submodules and anything under {@code .git} are skipped, and so is every path that is
     * not safe as a key.
     */
    public List<ObjectUpload> uploads(String keyPrefix) {
        try (RevWalk revWalk = new RevWalk(repository);
                ObjectReader reader = repository.newObjectReader();
                TreeWalk walk = new TreeWalk(repository, reader)) {
            Map<String, SymlinkResolver.File> files = files(walk, revWalk.parseCommit(commit));
            SymlinkResolver links = new SymlinkResolver(reader, files);
            List<ObjectUpload> uploads = new ArrayList<>();
            SkippedNames outside = new SkippedNames("symbolic links that point at no file inside the repository");
            long total = 0;
            for (Map.Entry<String, SymlinkResolver.File> file : files.entrySet()) {
                Optional<ObjectId> blob = content(links, file.getKey(), file.getValue(), outside);
                if (blob.isPresent()) {
                    ObjectUpload upload = upload(reader, keyPrefix, file.getKey(), blob.get());
                    total += upload.length();
                    if (total > maxSize.toBytes()) {
                        throw new FetchException("the repository's files hold more than FETCH_MAX_SIZE ("
                                + maxSize.toBytes() + " bytes) uncompressed");
                    }
                    uploads.add(upload);
                }
            }
            outside.tell(log);
            return uploads;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The commit's files, executables and links whose paths are safe as keys, by path in the tree's order; past
     * {@code FETCH_MAX_FILES} entries of any kind the walk stops and the fetch fails.
     */
    private Map<String, SymlinkResolver.File> files(TreeWalk walk, RevCommit revCommit) throws IOException {
        Map<String, SymlinkResolver.File> files = new LinkedHashMap<>();
        walk.addTree(revCommit.getTree());
        int named = 0;
        SkippedNames unsafe = new SkippedNames("paths that are not safe as keys");
        while (walk.next()) {
            if (++named > limits.maxFiles()) {
                throw new FetchException("the repository's tree names more than FETCH_MAX_FILES (" + limits.maxFiles()
                        + ") files and folders");
            }
            if (walk.isSubtree()) {
                walk.enterSubtree();
                continue;
            }
            String path = walk.getPathString();
            FileMode mode = walk.getFileMode(0);
            if (!SymlinkResolver.File.isFile(mode)) {
                log.debug("Skipping {} ({})", path, mode);
            } else if (!RelativePath.isSafe(path) || touchesGitFolder(path)) {
                unsafe.add(path);
            } else {
                files.put(path, new SymlinkResolver.File(mode, walk.getObjectId(0)));
            }
        }
        unsafe.tell(log);
        return files;
    }

    private static Optional<ObjectId> content(
            SymlinkResolver links, String path, SymlinkResolver.File file, SkippedNames outside) throws IOException {
        if (!file.isLink()) {
            return Optional.of(file.blob());
        }
        Optional<ObjectId> target = links.regularFileFor(path, file.blob());
        if (target.isEmpty()) {
            outside.add(path);
        }
        return target;
    }

    private ObjectUpload upload(ObjectReader reader, String keyPrefix, String path, ObjectId blob) throws IOException {
        long size = reader.getObjectSize(blob, Constants.OBJ_BLOB);
        if (size > limits.maxFileSize().toBytes()) {
            throw new FetchException(path + " is " + size + " bytes, more than FETCH_MAX_FILE_SIZE ("
                    + limits.maxFileSize().toBytes() + " bytes)");
        }
        return new ObjectUpload(
                keyPrefix + path,
                size,
                "application/octet-stream",
                () -> repository.open(blob, Constants.OBJ_BLOB).openStream());
    }

    /** A {@code .git} segment, in any case (as case-insensitive file systems read it). */
    static boolean touchesGitFolder(String path) {
        for (String segment : path.split("/")) {
            if (segment.toLowerCase(Locale.ROOT).equals(".git")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        repository.close();
        directory.ifPresent(RepositoryFetcher::deleteQuietly);
    }
}
