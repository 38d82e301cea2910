package dev.deploypipeline.deploy.egress;

import dev.deploypipeline.threads.NamedThreads;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;

/**
 * A gateway's threads, all daemons named for it: {@code egress-<name>-accept}, {@code egress-<name>-timer-1}
 * and at most two {@code egress-<name>-N} for each connection it may have open, which end when idle. Each
 * carries the log context (the deployment) of the thread that opened the gateway.
 */
final class GatewayThreads {

    private static final Duration IDLE_THREAD_LIFE = Duration.ofSeconds(30);

    private final Map<String, String> logContext;
    private final Thread acceptor;
    private final ScheduledExecutorService timer;
    private final ThreadPoolExecutor workers;

    GatewayThreads(String name, int maxConnections, Runnable acceptLoop) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        this.logContext = context == null ? Map.of() : Map.copyOf(context);
        this.acceptor = new Thread(withLogContext(acceptLoop), "egress-" + name + "-accept");
        acceptor.setDaemon(true);
        this.timer = NamedThreads.scheduler("egress-" + name + "-timer");
        int threads = 2 * maxConnections; // a connection's two directions
        this.workers = new ThreadPoolExecutor(
                threads,
                threads,
                IDLE_THREAD_LIFE.toMillis(),
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(threads),
                NamedThreads.numbered("egress-" + name));
        workers.allowCoreThreadTimeOut(true);
    }

    void start(Runnable sweep, Duration period) {
        NamedThreads.repeat(timer, period, "Closing the gateway's idle connections", withLogContext(sweep));
        acceptor.start();
    }

    /** @throws java.util.concurrent.RejectedExecutionException once the gateway is stopping */
    void execute(Runnable task) {
        workers.execute(withLogContext(task));
    }

    /** Waits for the accepting thread to see that its socket closed, so nothing is admitted after this. */
    void awaitAcceptor(Duration wait) throws InterruptedException {
        acceptor.join(wait.toMillis());
    }

    /** Interrupts whatever still runs (a connect under way) and waits for it; whether every thread ended. */
    boolean stop(Duration wait) throws InterruptedException {
        timer.shutdownNow();
        workers.shutdownNow();
        return workers.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS)
                && timer.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    private Runnable withLogContext(Runnable task) {
        return () -> {
            MDC.setContextMap(logContext);
            try {
                task.run();
            } finally {
                MDC.clear();
            }
        };
    }
}
