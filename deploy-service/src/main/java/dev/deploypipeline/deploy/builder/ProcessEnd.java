package dev.deploypipeline.deploy.builder;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** How waiting for a build's command ended. */
enum ProcessEnd {
    EXITED,
    TIMED_OUT,
    STOPPED;

    /** Waits up to {@code left} for the process to exit, returning early when the build is stopped. */
    static ProcessEnd await(Process process, BuildControl control, Duration left) throws InterruptedException {
        if (!left.isNegative() && !left.isZero()) {
            try {
                CompletableFuture.anyOf(process.onExit(), control.stopped()).get(left.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // the deadline passed: said below
            } catch (ExecutionException e) {
                throw new IllegalStateException("waiting for a build's process failed", e);
            }
        }
        if (!process.isAlive()) {
            return EXITED;
        }
        return control.isStopped() ? STOPPED : TIMED_OUT;
    }
}
