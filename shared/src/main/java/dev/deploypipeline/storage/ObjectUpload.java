package dev.deploypipeline.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** One object to store: its key, its exact length and type, and where its bytes come from. */
public record ObjectUpload(String key, long length, String contentType, Content content) {

    /** Opens the bytes afresh each time, so a failed attempt can be retried. */
    @FunctionalInterface
    public interface Content {
        InputStream open() throws IOException;
    }

    public static ObjectUpload ofFile(String key, Path file, String contentType) throws IOException {
        return new ObjectUpload(key, Files.size(file), contentType, () -> Files.newInputStream(file));
    }
}
