package dev.deploypipeline.upload.git;

import dev.deploypipeline.upload.limits.MeteredInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The time and bytes one fetch may still use. Every response body of the fetch is counted as it arrives,
 * compressed, as the git server sends it. Time is measured with {@link System#nanoTime()}: a deadline needs
 * a clock that never jumps, which the wall clock does not promise.
 */
final class FetchBudget {

    private final Duration timeout;
    private final long deadlineNanos;
    private final long maxBytes;
    private final AtomicLong received = new AtomicLong();

    FetchBudget(Duration timeout, long maxBytes) {
        this.timeout = timeout;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        this.maxBytes = maxBytes;
    }

    static FetchBudget of(FetchSettings settings) {
        return new FetchBudget(settings.timeout(), settings.maxBytes().toBytes());
    }

    Duration timeout() {
        return timeout;
    }

    boolean isExpired() {
        return System.nanoTime() - deadlineNanos >= 0;
    }

    void checkTime() throws FetchLimitExceededException {
        if (isExpired()) {
            throw new FetchLimitExceededException(timeoutMessage());
        }
    }

    String timeoutMessage() {
        return "the fetch took longer than FETCH_TIMEOUT (" + readable(timeout) + ")";
    }

    InputStream count(InputStream body) {
        return new MeteredInputStream(body, this::add);
    }

    private void add(int bytes) throws FetchLimitExceededException {
        if (received.addAndGet(bytes) > maxBytes) {
            throw new FetchLimitExceededException(
                    "the fetch received more than FETCH_MAX_BYTES (" + maxBytes + " bytes)");
        }
        checkTime();
    }

    /** {@code 10m}, {@code 1m30s}, {@code 0.5s}: a duration as the settings are written. */
    static String readable(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
