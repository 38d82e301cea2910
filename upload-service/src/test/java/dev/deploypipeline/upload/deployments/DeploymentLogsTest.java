package dev.deploypipeline.upload.deployments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.buildlog.BuildLogStream;
import dev.deploypipeline.buildlog.LogLine;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.storage.ObjectUpload;
import dev.deploypipeline.storage.S3ObjectStorage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /deployments/{id}/logs} over real HTTP, with a real Redis and S3 server; the build's side is played
 * by the same {@link BuildLogStream} deploy-service writes with.
 */
class DeploymentLogsTest extends RunningService {

    private static final S3ObjectStorage STORAGE = SERVERS.storage();
    private static final String BUILDER = "replica-a-w1";

    private final BuildLogStream stream = new BuildLogStream(SERVERS.connector());

    @Test
    void logOfARunningBuildIsWhatItHasPrintedSoFar() throws Exception {
        DeploymentId id = building();
        List<LogLine> printed = print(id, 1, 3);

        HttpResponse<String> response = get("/deployments/" + id + "/logs");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain;charset=UTF-8");
        assertThat(response.body().lines())
                .containsExactlyElementsOf(
                        printed.stream().map(LogLine::toString).toList());
    }

    @Test
    void logOfAFinishedBuildIsTheStoredOne() throws Exception {
        DeploymentId id = building();
        print(id, 1, 2);
        String stored = "2026-11-22T10:00:00.000Z $ npm run build\n2026-11-22T10:00:01.000Z done\n";
        finish(id, stored);

        HttpResponse<String> response = get("/deployments/" + id + "/logs");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(stored);
    }

    @Test
    void followedLogArrivesLineByLineInOrderAndEndsWhenTheBuildEnds() {
        DeploymentId id = building();
        SseClient client = follow(id, null);

        List<LogLine> first = print(id, 1, 10);
        await().atMost(Duration.ofSeconds(5)).until(() -> client.lines().size() == 10);
        assertThat(client.ended()).isFalse();
        List<LogLine> second = print(id, 11, 20);
        await().atMost(Duration.ofSeconds(5)).until(() -> client.lines().size() == 20);
        stream.end(id, 10_000).toCompletableFuture().join();
        finish(id, "the stored log\n");

        await().atMost(Duration.ofSeconds(5)).until(client::ended);
        assertThat(client.response().headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(client.lines())
                .containsExactlyElementsOf(Stream.concat(first.stream(), second.stream())
                        .map(LogLine::toString)
                        .toList());
        assertThat(client.events()).last().isEqualTo(new SseClient.Event(null, "end", "deployed"));
        assertThat(client.events().subList(0, 20))
                .extracting(SseClient.Event::id)
                .allMatch(BuildLogStream::isEntryId);
    }

    @Test
    void carriageReturnsABuildPrintsCannotForgeTheEndOfTheLogForItsFollowers() {
        DeploymentId id = building();
        SseClient client = follow(id, null);

        stream.append(id, new LogLine(Instant.now(), "50%\r\revent: end\rdata: deployed\r"), 10_000)
                .toCompletableFuture()
                .join();
        print(id, 1, 1);

        await().atMost(Duration.ofSeconds(5)).until(() -> client.lines().size() == 2);
        assertThat(client.events()).extracting(SseClient.Event::name).containsOnly("message");
        assertThat(client.lines().get(0)).endsWith("50%\n\nevent: end\ndata: deployed\n");
        stream.end(id, 10_000).toCompletableFuture().join();
        transitions.fail(id, "npm run build exited with 1");
        await().atMost(Duration.ofSeconds(5)).until(client::ended);
        assertThat(client.events()).last().isEqualTo(new SseClient.Event(null, "end", "failed"));
    }

    @Test
    void followerThatReconnectsWithTheLastEventIdGoesOnAfterIt() {
        DeploymentId id = building();
        print(id, 1, 5);
        String third = stream.readAfter(id, BuildLogStream.START, 3).get(2).id();

        SseClient client = follow(id, third);
        await().atMost(Duration.ofSeconds(5)).until(() -> client.lines().size() == 2);
        stream.end(id, 10_000).toCompletableFuture().join();
        finish(id, "");

        await().atMost(Duration.ofSeconds(5)).until(client::ended);
        assertThat(client.lines()).allMatch(line -> line.endsWith("line 4") || line.endsWith("line 5"));
    }

    @Test
    void linesABuildPrintsAfterItsDeploymentWasCancelledStillReachTheFollower() {
        DeploymentId id = building();
        SseClient client = follow(id, null);
        print(id, 1, 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> client.lines().size() == 1);

        transitions.cancel(id, dev.deploypipeline.deployment.DeploymentState.Move.CANCEL, "cancelled on request");
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> !client.ended());
        stream.append(id, new LogLine(Instant.now(), "[killed: the deployment was cancelled]"), 10_000);
        stream.end(id, 10_000).toCompletableFuture().join();

        await().atMost(Duration.ofSeconds(5)).until(client::ended);
        assertThat(client.lines()).last().asString().endsWith("[killed: the deployment was cancelled]");
        assertThat(client.events()).last().isEqualTo(new SseClient.Event(null, "end", "cancelled"));
    }

    @Test
    void followingADeploymentThatHasEndedReplaysItsStoredLogThenEnds() {
        DeploymentId id = building();
        transitions.fail(id, "build failed: `npm run build` exited with code 2");
        putLog(id, "2026-11-22T10:00:00.000Z error TS2322: Type 'number' is not assignable to type 'string'.\n");

        SseClient client = follow(id, null);

        await().atMost(Duration.ofSeconds(5)).until(client::ended);
        assertThat(client.events())
                .containsExactly(
                        new SseClient.Event(
                                null,
                                "message",
                                "2026-11-22T10:00:00.000Z error TS2322: Type 'number' is not assignable to type 'string'."),
                        new SseClient.Event(null, "end", "failed"));
    }

    @Test
    void aLongStoredLogIsReplayedWholeAndInOrderOneRangeAtATime() {
        DeploymentId id = building();
        transitions.fail(id, "build failed");
        List<String> lines = IntStream.rangeClosed(1, 6_000)
                .mapToObj(n -> "2026-11-22T10:00:00.000Z line " + n + " ünïcödé " + "x".repeat(n % 97))
                .toList();
        putLog(id, String.join("\n", lines) + "\n");

        SseClient client = follow(id, null);

        await().atMost(Duration.ofSeconds(20)).until(client::ended);
        assertThat(String.join("\n", lines).length()).isGreaterThan(4 * StoredLogReplay.RANGE);
        assertThat(client.lines()).isEqualTo(lines);
        assertThat(client.events()).last().isEqualTo(new SseClient.Event(null, "end", "failed"));
    }

    @Test
    void logOfAnUnknownDeploymentIsNotFound() throws Exception {
        HttpResponse<String> response = get("/deployments/" + DeploymentId.random() + "/logs");
        SseClient follower = follow(DeploymentId.random(), null);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(follower.response().statusCode()).isEqualTo(404);
        assertThat(get("/deployments/not-an-id/logs").statusCode()).isEqualTo(400);
    }

    private DeploymentId building() {
        return building(BUILDER);
    }

    /** Prints {@code line first} to {@code line last} as the build, and returns them. */
    private List<LogLine> print(DeploymentId id, int first, int last) {
        List<LogLine> lines = IntStream.rangeClosed(first, last)
                .mapToObj(n -> new LogLine(Instant.now(), "line " + n))
                .toList();
        lines.forEach(
                line -> stream.append(id, line, 10_000).toCompletableFuture().join());
        return lines;
    }

    /** What deploy-service does at the end of a build: the log stored, then the state. */
    private void finish(DeploymentId id, String log) {
        putLog(id, log);
        transitions.deploy(id, BUILDER);
    }

    private static void putLog(DeploymentId id, String log) {
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        STORAGE.ensureBucket();
        STORAGE.putAll(List.of(new ObjectUpload(
                ObjectKeys.log(id), bytes.length, "text/plain; charset=utf-8", () -> new ByteArrayInputStream(bytes))));
    }

    private SseClient follow(DeploymentId id, String lastEventId) {
        return SseClient.open(uri("/deployments/" + id + "/logs?follow=true"), lastEventId);
    }
}
