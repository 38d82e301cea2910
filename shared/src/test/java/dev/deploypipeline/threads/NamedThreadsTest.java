package dev.deploypipeline.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NamedThreadsTest {

    private final ScheduledExecutorService scheduler = NamedThreads.scheduler("named-threads-test");

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void aRepeatedTaskRunsAgainAfterItThrewAnError() {
        AtomicInteger runs = new AtomicInteger();
        ScheduledFuture<?> schedule = NamedThreads.repeat(scheduler, Duration.ofMillis(5), "A failing task", () -> {
            if (runs.incrementAndGet() <= 2) {
                throw new StackOverflowError("thrown on purpose");
            }
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 4);
        assertThat(schedule.isDone()).isFalse();
    }

    @Test
    void aRepeatedTaskRunsAgainAfterItThrewARuntimeException() {
        AtomicInteger runs = new AtomicInteger();
        NamedThreads.repeat(scheduler, Duration.ofMillis(5), "A failing task", () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("thrown on purpose");
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 3);
    }
}
