package dev.deploypipeline.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** An object opened for reading; closing it releases the connection. */
public record StoredObject(String key, long length, String contentType, String eTag, InputStream body)
        implements AutoCloseable {

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
