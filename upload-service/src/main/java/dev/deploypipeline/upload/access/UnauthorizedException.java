package dev.deploypipeline.upload.access;

/** A mutating call without the right {@code Authorization: Bearer} token: a 401. */
public class UnauthorizedException extends RuntimeException {

    public UnauthorizedException(String message) {
        super(message);
    }
}
