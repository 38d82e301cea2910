package dev.deploypipeline.upload.webhook;

import java.time.Duration;

/** A delivery whose body had not all arrived within {@code GITHUB_READ_TIMEOUT}: a 408, and the connection closed. */
public class DeliveryTimedOutException extends RuntimeException {

    DeliveryTimedOutException(Duration timeout) {
        super("the delivery's body did not arrive within GITHUB_READ_TIMEOUT (" + timeout.toMillis() + " ms)");
    }
}
