package dev.deploypipeline.retry;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedRunnable;
import dev.failsafe.function.CheckedSupplier;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Retries a step while Redis or S3 is unreachable or overloaded (a lost connection, a timeout, a 5xx),
 * with exponential backoff and jitter, for up to a bounded time. Anything else (a build that failed, a
 * missing object, a script error) is not retried and surfaces at once.
 */
public final class TransientFaults {

    private static final Logger log = LoggerFactory.getLogger(TransientFaults.class);

    private final RetryPolicy<Object> policy;

    public TransientFaults(Duration giveUpAfter) {
        this(giveUpAfter, Duration.ofMillis(200), Duration.ofSeconds(10));
    }

    public TransientFaults(Duration giveUpAfter, Duration firstDelay, Duration maxDelay) {
        this.policy = RetryPolicy.builder()
                .handleIf(TransientFaults::isTransient)
                .withBackoff(firstDelay, maxDelay)
                .withJitter(0.25)
                .withMaxRetries(-1)
                .withMaxDuration(giveUpAfter)
                .onRetry(event -> log.warn(
                        "Retrying after a transient fault (attempt {}): {}",
                        event.getAttemptCount(),
                        event.getLastException().toString()))
                .build();
    }

    public <T> T get(CheckedSupplier<T> step) {
        try {
            return Failsafe.with(policy).get(step);
        } catch (FailsafeException e) {
            throw unwrap(e);
        }
    }

    public void run(CheckedRunnable step) {
        try {
            Failsafe.with(policy).run(step);
        } catch (FailsafeException e) {
            throw unwrap(e);
        }
    }

    /** Whether the fault is one that goes away by itself: the server was unreachable, slow or overloaded. */
    public static boolean isTransient(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof RedisConnectionException || e instanceof RedisCommandTimeoutException) {
                return true;
            }
            if (e instanceof RedisCommandExecutionException execution) {
                String message = String.valueOf(execution.getMessage());
                return message.startsWith("LOADING") || message.startsWith("BUSY") || message.startsWith("TRYAGAIN");
            }
            if (e instanceof RedisException redis) {
                // The connection closed or broke (reset by a Redis stopping) under a command in flight, or too
                // many commands are held while Redis is unreachable.
                String message = String.valueOf(redis.getMessage());
                if (message.contains("Connection closed")
                        || message.startsWith("Request queue size exceeded")
                        || redis.getCause() instanceof IOException) {
                    return true;
                }
            }
            if (e instanceof SdkServiceException service) {
                return service.statusCode() >= 500 || service.statusCode() == 429 || service.isThrottlingException();
            }
            if (e instanceof SdkClientException && e.getCause() instanceof IOException) {
                return true;
            }
            if (e instanceof SdkClientException client
                    && String.valueOf(client.getMessage()).contains("Unable to execute HTTP request")) {
                return true;
            }
        }
        return false;
    }

    private static RuntimeException unwrap(FailsafeException e) {
        if (e.getCause() instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new IllegalStateException("interrupted while retrying", e.getCause());
        }
        return e.getCause() instanceof RuntimeException runtime ? runtime : e;
    }
}
