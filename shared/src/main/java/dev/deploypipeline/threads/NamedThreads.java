package dev.deploypipeline.threads;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the pipeline makes its executors: daemon threads named for what they do ({@code fetch-1},
 * {@code replica-heartbeat}), so a thread dump reads like the code, and no stray pool keeps a stopping JVM
 * alive. Each owner shuts its executor down explicitly, with {@link #shutdown}.
 */
public final class NamedThreads {

    private static final Logger log = LoggerFactory.getLogger(NamedThreads.class);

    private NamedThreads() {}

    /** Daemon threads named {@code {prefix}-1}, {@code {prefix}-2}, …. */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> daemon(runnable, prefix + "-" + count.incrementAndGet());
    }

    /** One scheduling daemon thread named {@code name}. */
    public static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(runnable -> daemon(runnable, name));
    }

    /**
     * Runs {@code task} on {@code scheduler} every {@code every}, the first time after one {@code every}, and goes on
     * whatever it throws. A scheduler never runs again a task that threw, so an Error (an OutOfMemoryError caused by
     * another thread's allocation lands on any thread) would otherwise end the schedule silently; it is logged with
     * {@code what} instead.
     */
    public static ScheduledFuture<?> repeat(
            ScheduledExecutorService scheduler, Duration every, String what, Runnable task) {
        Runnable keptRunning = () -> {
            try {
                task.run();
            } catch (Throwable e) {
                log.error("{} failed; it runs again in {}", what, every, e);
            }
        };
        return scheduler.scheduleWithFixedDelay(keptRunning, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** {@code threads} threads named {@code {prefix}-N}, with an unbounded queue. */
    public static ExecutorService pool(String prefix, int threads) {
        return Executors.newFixedThreadPool(threads, numbered(prefix));
    }

    /**
     * {@code threads} threads named {@code {prefix}-N}, taking at most {@code backlog} tasks that wait: beyond
     * that, {@code execute} throws {@link java.util.concurrent.RejectedExecutionException}.
     */
    public static ThreadPoolExecutor bounded(String prefix, int threads, int backlog) {
        return new ThreadPoolExecutor(
                threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(backlog), numbered(prefix));
    }

    /**
     * Stops taking tasks, lets running ones finish for {@code grace}, then interrupts them; returns how many
     * waiting tasks were dropped. Safe to call twice.
     */
    public static int shutdown(ExecutorService executor, Duration grace) throws InterruptedException {
        executor.shutdown();
        if (executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            return 0;
        }
        return executor.shutdownNow().size();
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
