package dev.deploypipeline.buildlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.redis.RedisConnection;
import dev.deploypipeline.testing.RedisExtension;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BuildLogStreamTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00.123456Z");

    @RegisterExtension
    static final RedisExtension testRedis = new RedisExtension();

    private final RedisClusterCommands<String, String> redis = testRedis.redis();
    private final BuildLogStream stream = new BuildLogStream(testRedis.connector());
    private final DeploymentId id = DeploymentId.random();

    @Test
    void linesAreReadBackInOrderFromWhereTheReaderLeftOff() {
        appendAll(
                IntStream.rangeClosed(1, 5)
                        .mapToObj(n -> new LogLine(NOW.plusSeconds(n), "line " + n))
                        .toList(),
                100);

        List<LogEntry> first = stream.readAfter(id, BuildLogStream.START, 3);
        List<LogEntry> rest = stream.readAfter(id, first.get(2).id(), 100);

        assertThat(first).extracting(entry -> entry.line().text()).containsExactly("line 1", "line 2", "line 3");
        assertThat(rest).extracting(entry -> entry.line().text()).containsExactly("line 4", "line 5");
        assertThat(first.get(0).line().time()).isEqualTo(Instant.parse("2026-11-22T10:00:01.123Z"));
        assertThat(stream.readAfter(id, rest.get(1).id(), 100)).isEmpty();
        assertThat(redis.type("logs:" + id)).isEqualTo("stream");
    }

    @Test
    void keepsAboutTheNewestLinesOnly() {
        appendAll(
                IntStream.rangeClosed(1, 2000)
                        .mapToObj(n -> new LogLine(NOW, "line " + n))
                        .toList(),
                100);

        List<LogEntry> kept = stream.readAfter(id, BuildLogStream.START, 10_000);

        assertThat(kept).hasSizeBetween(100, 300);
        assertThat(kept.get(kept.size() - 1).line().text()).isEqualTo("line 2000");
    }

    @Test
    void endComesAfterTheLastLine() {
        appendAll(List.of(new LogLine(NOW, "last line")), 100);
        stream.end(id, 100).toCompletableFuture().join();

        List<LogEntry> entries = stream.readAfter(id, BuildLogStream.START, 10);

        assertThat(entries).extracting(LogEntry::isEnd).containsExactly(false, true);
        assertThat(entries.get(0).line().text()).isEqualTo("last line");
    }

    @Test
    void aMissingStreamReadsAsNoLines() {
        assertThat(stream.readAfter(id, BuildLogStream.START, 10)).isEmpty();
    }

    @Test
    void clearRemovesAnEarlierAttemptAndExpireSetsTheStreamsLifetime() {
        appendAll(List.of(new LogLine(NOW, "earlier attempt")), 100);
        stream.clear(id);
        appendAll(List.of(new LogLine(NOW, "this attempt")), 100);

        stream.expire(id, Duration.ofHours(24));

        assertThat(stream.readAfter(id, BuildLogStream.START, 10))
                .extracting(entry -> entry.line().text())
                .containsExactly("this attempt");
        assertThat(redis.ttl("logs:" + id)).isBetween(86_000L, 86_400L);
    }

    @Test
    void lineReadsAsTimeThenText() {
        assertThat(new LogLine(NOW, "$ npm ci")).hasToString("2026-11-22T10:00:00.123Z $ npm ci");
        assertThat(new LogLine(Instant.parse("2026-11-22T10:00:00Z"), "x")).hasToString("2026-11-22T10:00:00.000Z x");
        assertThat(BuildLogStream.isEntryId("1763800000000-0")).isTrue();
        assertThat(BuildLogStream.isEntryId("$")).isFalse();
    }

    @Test
    void aBlockingReadWaitsForTheNextLineOrAnswersNothingOnceItsBlockIsOver() throws Exception {
        try (RedisConnection own = testRedis.connector().connect()) {
            BuildLogStream blocking =
                    new BuildLogStream(own, testRedis.connector().keys());
            long started = System.nanoTime();
            assertThat(blocking.readAfter(id, BuildLogStream.START, 10, Duration.ofMillis(300)))
                    .isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(250));

            CompletableFuture<List<LogEntry>> waiting = CompletableFuture.supplyAsync(
                    () -> blocking.readAfter(id, BuildLogStream.START, 10, Duration.ofSeconds(5)));
            appendAll(List.of(new LogLine(NOW, "the next line")), 100);

            assertThat(waiting.get(5, TimeUnit.SECONDS))
                    .extracting(entry -> entry.line().text())
                    .containsExactly("the next line");
        }
    }

    @Test
    void entryIdsAreOrderedByTimeThenBySequence() {
        assertThat(BuildLogStream.compareIds("1763800000000-5", "1763800000001-0"))
                .isNegative();
        assertThat(BuildLogStream.compareIds("1763800000000-10", "1763800000000-9"))
                .isPositive();
        assertThat(BuildLogStream.compareIds("1763800000000-3", "1763800000000-3"))
                .isZero();
        assertThat(BuildLogStream.compareIds(BuildLogStream.START, "1-0")).isNegative();
    }

    /** A hundred at a time: the client holds at most a thousand commands in flight. */
    private void appendAll(List<LogLine> lines, long maxLines) {
        List<CompletableFuture<String>> sent = new ArrayList<>();
        for (LogLine line : lines) {
            sent.add(stream.append(id, line, maxLines).toCompletableFuture());
            if (sent.size() == 100) {
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
                sent.clear();
            }
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    }
}
