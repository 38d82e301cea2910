package dev.deploypipeline.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import software.amazon.awssdk.core.ResponseInputStream;

/**
 * The body of a GET that, closed before its end, aborts the connection. The Apache client would otherwise
 * read the rest of the object to reuse the connection: a visitor who leaves halfway through a large file,
 * or a video player that opens {@code bytes=0-} and moves on, would cost the whole object.
 */
final class ObjectBody extends FilterInputStream {

    private final ResponseInputStream<?> response;
    private long remaining;

    ObjectBody(ResponseInputStream<?> response, long length) {
        super(response);
        this.response = response;
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        int read = super.read();
        remaining = read < 0 ? 0 : remaining - 1;
        return read;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read = super.read(buffer, offset, length);
        remaining = read < 0 ? 0 : remaining - read;
        return read;
    }

    @Override
    public void close() throws IOException {
        if (remaining > 0) {
            response.abort();
        }
        super.close();
    }
}
