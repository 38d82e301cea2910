package dev.deploypipeline.upload.git;

import dev.deploypipeline.storage.RelativePath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;

/**
 * Follows a symbolic link of a commit to a regular file of the same commit, so a link like
 * {@code public/logo.png -> ../assets/logo.png} is uploaded with its target's content. Only the commit's
 * own files are ever read, looked up by path among those its tree walk found, so following every link costs no
 * more than the walk did: an absolute target, one that climbs out of the repository, one that names a
 * folder or {@code .git}, or a chain longer than a few links resolves to nothing and the link is skipped.
 */
final class SymlinkResolver {

    private static final int MAX_LINKS = 8;
    private static final int MAX_TARGET_LENGTH = 1024;

    private final ObjectReader reader;
    private final Map<String, File> files;

    /** {@code files}: the commit's regular files, executables and links, by path. */
    SymlinkResolver(ObjectReader reader, Map<String, File> files) {
        this.reader = reader;
        this.files = files;
    }

    /** The blob of the regular file the link at {@code path} ends at, when it ends at one inside the commit. */
    Optional<ObjectId> regularFileFor(String path, ObjectId link) throws IOException {
        String current = path;
        ObjectId blob = link;
        for (int links = 0; links < MAX_LINKS; links++) {
            if (reader.getObjectSize(blob, Constants.OBJ_BLOB) > MAX_TARGET_LENGTH) {
                return Optional.empty();
            }
            String target = new String(reader.open(blob, Constants.OBJ_BLOB).getBytes(), StandardCharsets.UTF_8);
            Optional<String> resolved = insideRepository(parentOf(current), target);
            File entry = resolved.map(files::get).orElse(null);
            if (entry == null) {
                return Optional.empty();
            }
            if (!entry.isLink()) {
                return Optional.of(entry.blob());
            }
            current = resolved.get();
            blob = entry.blob();
        }
        return Optional.empty();
    }

    /** A regular file, an executable or a symbolic link of the commit, and its blob. */
    record File(FileMode mode, ObjectId blob) {

        static boolean isFile(FileMode mode) {
            return mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE || mode == FileMode.SYMLINK;
        }

        boolean isLink() {
            return mode == FileMode.SYMLINK;
        }
    }

    /** {@code target} read from folder {@code directory}, as a path from the repository's root, if it stays inside. */
    static Optional<String> insideRepository(String directory, String target) {
        if (target.isEmpty() || target.startsWith("/") || target.contains("\\") || target.indexOf('\0') >= 0) {
            return Optional.empty();
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : (directory.isEmpty() ? target : directory + "/" + target).split("/")) {
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    return Optional.empty();
                }
                segments.removeLast();
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                segments.addLast(segment);
            }
        }
        String path = String.join("/", segments);
        return RelativePath.isSafe(path) && !FetchedCommit.touchesGitFolder(path)
                ? Optional.of(path)
                : Optional.empty();
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }
}
