package dev.deploypipeline.upload.problems;

/** A request the API cannot accept as it is; the message says what to change. */
public class InvalidRequestException extends IllegalArgumentException {

    public InvalidRequestException(String message) {
        super(message);
    }
}
