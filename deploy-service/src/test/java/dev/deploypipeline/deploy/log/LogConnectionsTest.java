package dev.deploypipeline.deploy.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.buildlog.BuildLogStream;
import dev.deploypipeline.buildlog.LogEntry;
import dev.deploypipeline.buildlog.LogLine;
import dev.deploypipeline.deploy.DeploySettings;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisSettings;
import dev.deploypipeline.testing.RedisServer;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.util.unit.DataSize;

/**
 * Live logs reuse their connections from build to build, and never share one between builds that run at once. A
 * connection is told apart at Redis by its {@code CLIENT LIST} id, among those named {@code live-log}.
 */
class LogConnectionsTest {

    private static final LogSettings SETTINGS = new LogSettings(DataSize.ofMegabytes(1), 1000, Duration.ofHours(1));
    private static final Duration LIFETIME = Duration.ofHours(2);
    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(300);

    private final RedisServer redis = RedisServer.start();
    private final RedisConnector connector = new RedisConnector(
            new RedisSettings(redis.url(), "", COMMAND_TIMEOUT, RedisSettings.DISCONNECTED_QUEUE_LIMIT));
    /** Looks at Redis with a timeout that outlasts a pause of the server. */
    private final RedisConnector inspector = new RedisConnector(redis.settings());

    @AfterEach
    void stopRedis() {
        inspector.close();
        connector.close();
        redis.close();
    }

    @Test
    void twoBuildsOneAfterTheOtherSendTheirLinesOnOneConnection() {
        LogConnections connections = new LogConnections(connector, 2);
        DeploymentId firstId = DeploymentId.random();
        DeploymentId secondId = DeploymentId.random();

        LiveLog first = open(connections, firstId);
        first.send(line("first build"));
        List<Long> whileFirstRuns = liveLogClients();
        first.close();
        LiveLog second = open(connections, secondId);
        second.send(line("second build"));
        List<Long> whileSecondRuns = liveLogClients();
        second.close();

        assertThat(whileFirstRuns).hasSize(1);
        assertThat(whileSecondRuns).isEqualTo(whileFirstRuns);
        assertThat(liveLogClients()).as("kept for the next build").isEqualTo(whileFirstRuns);
        assertThat(lines(firstId)).containsExactly("first build");
        assertThat(lines(secondId)).containsExactly("second build");
    }

    @Test
    void twoBuildsAtOnceSendTheirLinesOnTwoConnections() {
        LogConnections connections = new LogConnections(connector, 2);
        DeploymentId firstId = DeploymentId.random();
        DeploymentId secondId = DeploymentId.random();

        LiveLog first = open(connections, firstId);
        LiveLog second = open(connections, secondId);
        first.send(line("first build"));
        second.send(line("second build"));
        List<Long> whileBothRun = liveLogClients();
        first.close();
        second.close();

        assertThat(whileBothRun).hasSize(2).doesNotHaveDuplicates();
        assertThat(liveLogClients()).as("both kept").containsExactlyInAnyOrderElementsOf(whileBothRun);
        assertThat(lines(firstId)).containsExactly("first build");
        assertThat(lines(secondId)).containsExactly("second build");
    }

    @Test
    void afterRedisFailsOnABuildsConnectionTheNextBuildGetsAFreshOneAndItsLinesArrive() {
        LogConnections connections = new LogConnections(connector, 2);
        DeploymentId failingId = DeploymentId.random();
        DeploymentId nextId = DeploymentId.random();
        LiveLog failing = open(connections, failingId);
        long failingClient = liveLogClients().get(0);

        // Redis answers nothing for longer than the command timeout: the line and the log's end time out.
        inspector.shared().sync().clientPause(Duration.ofSeconds(3).toMillis());
        failing.send(line("lost"));
        failing.close();
        unpause();
        await().atMost(Duration.ofSeconds(5)).until(() -> !liveLogClients().contains(failingClient));

        LiveLog next = open(connections, nextId);
        next.send(line("after the failure"));
        List<Long> whileNextRuns = liveLogClients();
        next.close();

        assertThat(whileNextRuns).hasSize(1).doesNotContain(failingClient);
        assertThat(lines(nextId)).containsExactly("after the failure");
    }

    @Test
    void aLogOpenedWhileAllConnectionsAreTakenGoesOnOneOfItsOwn() {
        LogConnections connections = new LogConnections(connector, 1);
        DeploymentId firstId = DeploymentId.random();
        DeploymentId secondId = DeploymentId.random();

        LiveLog first = open(connections, firstId);
        LiveLog second = open(connections, secondId);
        second.send(line("second build"));
        List<Long> whileBothRun = liveLogClients();
        second.close();
        first.close();

        assertThat(whileBothRun).hasSize(2).doesNotHaveDuplicates();
        assertThat(lines(secondId)).containsExactly("second build");
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(liveLogClients())
                        .as("only the pool's own is kept")
                        .hasSize(1)
                        .isSubsetOf(whileBothRun));
    }

    @Test
    void closingTheServicesContextClosesTheIdleConnections() {
        List<Long> kept;
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.getBeanFactory().registerSingleton("redisConnector", connector);
            context.getBeanFactory()
                    .registerSingleton(
                            "deploySettings",
                            new DeploySettings(
                                    2,
                                    Duration.ofMinutes(1),
                                    Path.of("builds"),
                                    "replica-a",
                                    Duration.ofSeconds(1),
                                    DataSize.ofMegabytes(1)));
            context.register(LogConnections.class);
            context.refresh();
            open(context.getBean(LogConnections.class), DeploymentId.random()).close();
            kept = liveLogClients();
        }

        assertThat(kept).hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> liveLogClients().isEmpty());
    }

    private static LiveLog open(LogConnections connections, DeploymentId id) {
        return LiveLog.open(connections, id, SETTINGS, LIFETIME).orElseThrow();
    }

    private static LogLine line(String text) {
        return new LogLine(Instant.now(), text);
    }

    /** The ids Redis gives the connections named {@code live-log}, in the order it lists them. */
    private List<Long> liveLogClients() {
        return inspector
                .shared()
                .sync()
                .clientList()
                .lines()
                .filter(client -> client.contains(" name=" + LogConnections.CLIENT_NAME + " "))
                .map(client -> Long.parseLong(client.substring("id=".length(), client.indexOf(' '))))
                .toList();
    }

    private List<String> lines(DeploymentId id) {
        return new BuildLogStream(inspector)
                .readAfter(id, BuildLogStream.START, 100).stream()
                        .filter(entry -> !entry.isEnd())
                        .map(LogEntry::line)
                        .map(LogLine::text)
                        .toList();
    }

    /** Ends the pause now (or, if Redis holds this command too, when the pause ends). */
    private void unpause() {
        inspector
                .shared()
                .sync()
                .dispatch(
                        CommandType.CLIENT,
                        new StatusOutput<>(StringCodec.UTF8),
                        new CommandArgs<>(StringCodec.UTF8).add("UNPAUSE"));
    }
}
