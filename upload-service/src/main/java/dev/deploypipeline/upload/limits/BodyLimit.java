package dev.deploypipeline.upload.limits;

import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.util.unit.DataSize;

/**
 * The most a request body may hold: a body whose declared length is over is refused before it is read, and
 * one without a length (chunked) is cut off with {@link RequestTooLargeException} as it goes past.
 */
public record BodyLimit(DataSize max) {

    /** The body, to be read within the limit. */
    public InputStream apply(InputStream body, long declaredLength) {
        long limit = max.toBytes();
        if (declaredLength > limit) {
            throw new RequestTooLargeException(max);
        }
        AtomicLong read = new AtomicLong();
        return new MeteredInputStream(body, bytes -> {
            if (read.addAndGet(bytes) > limit) {
                throw new RequestTooLargeException(max);
            }
        });
    }
}
