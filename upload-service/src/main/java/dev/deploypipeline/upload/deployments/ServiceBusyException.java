package dev.deploypipeline.upload.deployments;

import java.time.Duration;

/** The service cannot take the request now; the client may try again after {@link #retryAfter()}. */
public class ServiceBusyException extends RuntimeException {

    private final Duration retryAfter;

    public ServiceBusyException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
