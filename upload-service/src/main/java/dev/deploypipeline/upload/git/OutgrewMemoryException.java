package dev.deploypipeline.upload.git;

import java.io.IOException;

/**
 * A fetch held in memory received more than {@code FETCH_IN_MEMORY_MAX}: not a failure, the sign to make it again on
 * disk. An {@link IOException} so it ends the transfer it happens in.
 */
final class OutgrewMemoryException extends IOException {

    OutgrewMemoryException(long inMemoryMax) {
        super("the fetch received more than FETCH_IN_MEMORY_MAX (" + inMemoryMax + " bytes)");
    }
}
