package dev.deploypipeline.testing;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a test class started, closed after its last test in the reverse order it was started, each whether or not
 * the one before closed cleanly. As a static {@code @AutoClose} field it spares the class an {@code @AfterAll} that
 * checks what a failed start left unset.
 */
public final class Teardown implements AutoCloseable {

    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    /** Closes {@code resource} after everything added after it; returns it. */
    public synchronized <T extends AutoCloseable> T add(T resource) {
        started.push(resource);
        return resource;
    }

    @Override
    public synchronized void close() throws Exception {
        Exception failure = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
