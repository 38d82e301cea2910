package dev.deploypipeline.upload.access;

/** A valid token that does not allow this call: a 403. */
public class ForbiddenException extends RuntimeException {

    ForbiddenException(String message) {
        super(message);
    }
}
