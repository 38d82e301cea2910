package dev.deploypipeline.upload.access;

/** A call that needs a token and came without a valid one: a 401 with {@code WWW-Authenticate: Bearer}. */
public class UnauthorizedException extends RuntimeException {

    public UnauthorizedException(String message) {
        super(message);
    }
}
