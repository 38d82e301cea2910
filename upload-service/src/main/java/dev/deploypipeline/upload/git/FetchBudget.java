package dev.deploypipeline.upload.git;

import dev.deploypipeline.upload.limits.MeteredInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The time and bytes one fetch may still use. Every response body of the fetch is counted as it arrives,
 * compressed, as the git server sends it. Time is measured with {@link System#nanoTime()}: a deadline needs
 * a clock that never jumps, which the wall clock does not promise. A fetch held in memory may also receive no more
 * than {@code FETCH_IN_MEMORY_MAX}: past it, it ends with {@link OutgrewMemoryException}, to be made again on disk.
 */
final class FetchBudget {

    private final Duration timeout;
    private final long deadlineNanos;
    private final long maxBytes;
    private final long inMemoryMax;
    private final AtomicLong received = new AtomicLong();

    private FetchBudget(Duration timeout, long deadlineNanos, long maxBytes, long inMemoryMax) {
        this.timeout = timeout;
        this.deadlineNanos = deadlineNanos;
        this.maxBytes = maxBytes;
        this.inMemoryMax = inMemoryMax;
    }

    FetchBudget(Duration timeout, long maxBytes) {
        this(timeout, System.nanoTime() + timeout.toNanos(), maxBytes, Long.MAX_VALUE);
    }

    static FetchBudget of(FetchSettings settings) {
        return new FetchBudget(settings.timeout(), settings.maxBytes().toBytes());
    }

    /** This fetch's budget while its repository is held in memory: it may receive no more than {@code max}. */
    FetchBudget inMemory(long max) {
        return new FetchBudget(timeout, deadlineNanos, maxBytes, max);
    }

    /**
     * The budget of this fetch made again on disk, after it outgrew memory: the same deadline, as it is one fetch
     * to its user, and its bytes counted afresh, as they are all received again.
     */
    FetchBudget onDisk() {
        return new FetchBudget(timeout, deadlineNanos, maxBytes, Long.MAX_VALUE);
    }

    Duration timeout() {
        return timeout;
    }

    /** Until the deadline; zero or less once it has passed. */
    long remainingNanos() {
        return deadlineNanos - System.nanoTime();
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

    private void add(int bytes) throws IOException {
        long total = received.addAndGet(bytes);
        if (total > maxBytes) {
            throw new FetchLimitExceededException(
                    "the fetch received more than FETCH_MAX_BYTES (" + maxBytes + " bytes)");
        }
        if (total > inMemoryMax) {
            throw new OutgrewMemoryException(inMemoryMax);
        }
        checkTime();
    }

    /** {@code 10m}, {@code 1m30s}, {@code 0.5s}: a duration as the settings are written. */
    static String readable(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
