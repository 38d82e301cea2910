package dev.deploypipeline.storage;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A path inside a repository or site, checked before it becomes an S3 key or a local path: forward
 * slashes, no empty, {@code .} or {@code ..} segment, not absolute, no backslash or control character.
 */
public record RelativePath(String value) {

    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final int MAX_LENGTH = 1024;

    public RelativePath {
        if (!isSafe(value)) {
            throw new IllegalArgumentException("unsafe path: " + value);
        }
    }

    public static boolean isSafe(String value) {
        if (value == null
                || value.isEmpty()
                || value.length() > MAX_LENGTH
                || value.startsWith("/")
                || value.contains("\\")
                || CONTROL.matcher(value).find()) {
            return false;
        }
        for (String segment : value.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** This path under {@code root}; by construction it cannot leave it. */
    public Path under(Path root) {
        Path resolved = root.resolve(value).normalize();
        if (!resolved.startsWith(root.normalize())) {
            throw new IllegalArgumentException("path leaves its folder: " + value);
        }
        return resolved;
    }

    @Override
    public String toString() {
        return value;
    }
}
