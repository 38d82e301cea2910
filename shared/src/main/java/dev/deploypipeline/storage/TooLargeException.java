package dev.deploypipeline.storage;

/** What was to be transferred is larger than the caller allows; nothing past the limit was written. */
public class TooLargeException extends RuntimeException {

    public TooLargeException(String message) {
        super(message);
    }
}
