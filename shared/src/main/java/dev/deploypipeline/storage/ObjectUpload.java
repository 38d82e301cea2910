package dev.deploypipeline.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** One object to store: its key, its exact length and type, and where its bytes come from. */
public record ObjectUpload(String key, long length, String contentType, Content content) {

    /** Opens the bytes afresh each time, so a failed attempt can be retried. */
    @FunctionalInterface
    public interface Content {
        InputStream open() throws IOException;
    }

    /**
     * A file's bytes, never a link's target: the file is measured and opened without following a symbolic link
     * in its place (a link is refused with an error, not followed).
     */
    public static ObjectUpload ofFile(String key, Path file, String contentType) throws IOException {
        long length = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .size();
        return new ObjectUpload(key, length, contentType, () -> Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS));
    }
}
