package dev.deploypipeline.upload.webhook;

/** A webhook delivery without a valid {@code X-Hub-Signature-256}: a 401. */
public class InvalidSignatureException extends RuntimeException {

    InvalidSignatureException() {
        super("X-Hub-Signature-256 is missing or does not match the payload");
    }
}
