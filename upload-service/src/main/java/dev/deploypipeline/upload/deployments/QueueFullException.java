package dev.deploypipeline.upload.deployments;

import java.time.Duration;

/** {@code QUEUE_MAX_LENGTH} deployments are waiting already: a 429, and nothing was created. */
public class QueueFullException extends ServiceBusyException {

    public QueueFullException(long waiting, Duration retryAfter) {
        super(waiting + " deployments are waiting to be built; try again later", retryAfter);
    }
}
