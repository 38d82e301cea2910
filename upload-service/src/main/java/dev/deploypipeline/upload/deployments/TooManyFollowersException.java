package dev.deploypipeline.upload.deployments;

import java.time.Duration;

/** {@code LOG_FOLLOWERS_MAX} or {@code LOG_FOLLOWERS_PER_CLIENT} follow logs already: a 429, with Retry-After. */
public class TooManyFollowersException extends ServiceBusyException {

    TooManyFollowersException(String message, Duration retryAfter) {
        super(message, retryAfter);
    }
}
