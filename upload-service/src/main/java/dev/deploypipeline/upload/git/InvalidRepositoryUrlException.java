package dev.deploypipeline.upload.git;

import dev.deploypipeline.upload.problems.InvalidRequestException;

/** A repository URL that is refused before any network use. */
public class InvalidRepositoryUrlException extends InvalidRequestException {

    public InvalidRepositoryUrlException(String message) {
        super(message);
    }
}
