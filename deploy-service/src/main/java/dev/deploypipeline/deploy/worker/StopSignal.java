package dev.deploypipeline.deploy.worker;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The pool's running flag, turned once; a worker pausing after an error wakes as soon as it turns. */
final class StopSignal {

    private final CountDownLatch stop = new CountDownLatch(1);

    void request() {
        stop.countDown();
    }

    boolean requested() {
        return stop.getCount() == 0;
    }

    /** Waits up to {@code pause}, less when a stop is requested meanwhile. */
    void pause(Duration pause) throws InterruptedException {
        stop.await(pause.toNanos(), TimeUnit.NANOSECONDS);
    }
}
