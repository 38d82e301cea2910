package dev.deploypipeline.upload.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FetchBudgetTest {

    @Test
    void aFetchInMemoryStopsOnceItReceivesMoreThanItsBound() {
        FetchBudget budget = new FetchBudget(Duration.ofMinutes(1), 1000).inMemory(10);

        assertThatThrownBy(() -> read(budget, 11))
                .isInstanceOf(OutgrewMemoryException.class)
                .hasMessageContaining("FETCH_IN_MEMORY_MAX");
    }

    @Test
    void theFetchMadeAgainOnDiskCountsItsBytesAfreshWithoutTheMemoryBound() throws IOException {
        FetchBudget inMemory = new FetchBudget(Duration.ofMinutes(1), 20).inMemory(10);
        assertThatThrownBy(() -> read(inMemory, 11)).isInstanceOf(OutgrewMemoryException.class);

        FetchBudget onDisk = inMemory.onDisk();

        read(onDisk, 20);
        assertThatThrownBy(() -> read(onDisk, 1))
                .isInstanceOf(FetchLimitExceededException.class)
                .hasMessageContaining("FETCH_MAX_BYTES");
    }

    @Test
    void theFetchMadeAgainOnDiskKeepsTheFirstOnesDeadline() {
        FetchBudget inMemory = new FetchBudget(Duration.ofMillis(200), 1000).inMemory(10);
        await().atMost(Duration.ofSeconds(5)).until(inMemory::isExpired);

        FetchBudget onDisk = inMemory.onDisk();

        assertThat(onDisk.isExpired()).isTrue();
        assertThat(onDisk.remainingNanos()).isNotPositive();
    }

    private static void read(FetchBudget budget, int bytes) throws IOException {
        try (InputStream counted = budget.count(new ByteArrayInputStream(new byte[bytes]))) {
            counted.readAllBytes();
        }
    }
}
