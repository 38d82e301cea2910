package dev.deploypipeline.deploy.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.deploypipeline.buildlog.BuildLogStream;
import dev.deploypipeline.buildlog.LogLine;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisSettings;
import dev.deploypipeline.testing.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The live log is best-effort: Redis going away in the middle of a build makes it stop streaming, and never
 * fails or holds up the build that prints. Once a build failed "internal error: RedisCommandTimeoutException"
 * when Redis restarted just as it printed its first line.
 */
class LiveLogOutageTest {

    private static final LogSettings SETTINGS = new LogSettings(DataSize.ofMegabytes(1), 1000, Duration.ofHours(1));

    private final RedisServer redis = RedisServer.start();
    private final RedisConnector connector = new RedisConnector(
            new RedisSettings(redis.url(), "", Duration.ofMillis(500), RedisSettings.DISCONNECTED_QUEUE_LIMIT));
    private final LogConnections connections = new LogConnections(connector, 2);

    @AfterEach
    void stopRedis() {
        connections.close();
        connector.close();
        redis.close();
    }

    @Test
    void linesSentWhileRedisIsDownNeitherThrowNorWaitForIt() {
        DeploymentId id = DeploymentId.random();
        Optional<LiveLog> opened = LiveLog.open(connections, id, SETTINGS, Duration.ofHours(2));
        assertThat(opened).isPresent();
        LiveLog live = opened.orElseThrow();
        redis.stop();

        long started = System.nanoTime();
        assertThatCode(() -> {
                    for (int line = 0; line < 10; line++) {
                        live.send(new LogLine(Instant.now(), "line " + line));
                    }
                    live.close();
                })
                .doesNotThrowAnyException();

        // Only the close waits, once, for the lines in flight, bounded by the command timeout.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void theBuildAfterAnOutageStreamsItsLinesOnceRedisIsBack() {
        LiveLog duringOutage = LiveLog.open(connections, DeploymentId.random(), SETTINGS, Duration.ofHours(2))
                .orElseThrow();
        redis.stop();
        duringOutage.send(new LogLine(Instant.now(), "lost"));
        duringOutage.close();
        redis.startAgain();

        DeploymentId next = DeploymentId.random();
        LiveLog afterOutage =
                LiveLog.open(connections, next, SETTINGS, Duration.ofHours(2)).orElseThrow();
        afterOutage.send(new LogLine(Instant.now(), "after the outage"));
        afterOutage.close();

        try (RedisConnector reader = new RedisConnector(redis.settings())) {
            assertThat(new BuildLogStream(reader).readAfter(next, BuildLogStream.START, 10))
                    .extracting(entry -> entry.isEnd() ? "[end]" : entry.line().text())
                    .containsExactly("after the outage", "[end]");
        }
    }

    @Test
    void aBuildStartedWhileRedisIsDownGoesOnWithoutItsLiveLogAndTheNextBuildHasOne() {
        LogConnections one = new LogConnections(connector, 1);
        redis.stop();
        Optional<LiveLog> whileDown = LiveLog.open(one, DeploymentId.random(), SETTINGS, Duration.ofHours(2));
        redis.startAgain();

        Optional<LiveLog> afterwards = LiveLog.open(one, DeploymentId.random(), SETTINGS, Duration.ofHours(2));
        afterwards.ifPresent(LiveLog::close);
        one.close();

        assertThat(whileDown).isEmpty();
        assertThat(afterwards)
                .as("the failed connect took none of the pool's one place")
                .isPresent();
    }
}
