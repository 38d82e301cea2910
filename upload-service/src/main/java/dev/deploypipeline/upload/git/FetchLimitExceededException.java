package dev.deploypipeline.upload.git;

import java.io.IOException;

/** A fetch went past one of its limits; an {@link IOException} so it ends the transfer it happens in. */
class FetchLimitExceededException extends IOException {

    FetchLimitExceededException(String message) {
        super(message);
    }
}
