package dev.deploypipeline.upload.deployments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.buildlog.BuildLogStream;
import dev.deploypipeline.buildlog.LogLine;
import dev.deploypipeline.deployment.DeploymentId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.util.unit.DataSize;

/**
 * A hostile build floods its log with the longest lines a build can print while clients follow it and never read
 * their sockets (more of them than there are sender threads for the per-client cap): what waits for the followers
 * stays within {@code LOG_FOLLOWERS_BUFFER} each, a follower that reads gets its lines at once, and the stalled
 * ones are cut when Tomcat's write timeout ({@code server.tomcat.connection-timeout}) runs out.
 */
@TestPropertySource(
        properties = {
            "log.followers.max=20",
            "log.followers.per-client=4",
            "log.followers.buffer=256KB",
            "server.tomcat.connection-timeout=15s"
        })
class LogFollowerFloodTest extends RunningService {

    private static final DataSize BUFFER = DataSize.ofKilobytes(256);
    private static final int STALLED = 10;
    private static final int FLOOD_LINES = 5_000;
    /** The longest line a build can print (deploy-service's OutputLines.MAX_LINE_BYTES). */
    private static final int LINE_BYTES = 4_096;

    private final BuildLogStream stream = new BuildLogStream(SERVERS.connector());
    private final List<Socket> stalled = new ArrayList<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    private ResumingClient healthy;

    @Autowired
    LogFollowers followers;

    @AfterEach
    void leave() throws IOException {
        sampler.shutdownNow();
        if (healthy != null) {
            healthy.close();
        }
        for (Socket socket : stalled) {
            socket.close();
        }
    }

    @Test
    void followersThatNeverReadAFloodedLogHoldABoundedBufferAndHoldUpNoOne() throws Exception {
        DeploymentId id = building("replica-a-w1");
        healthy = new ResumingClient(id);
        for (int n = 0; n < STALLED; n++) {
            stalled.add(stalledFollower("127.0.0." + (2 + n / 4), id));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> followers.following() == STALLED + 1);
        AtomicLong mostWaiting = new AtomicLong();
        sampler.scheduleAtFixedRate(
                () -> mostWaiting.accumulateAndGet(followers.waitingBytes(), Math::max), 0, 2, TimeUnit.MILLISECONDS);

        flood(id);
        String last = "the last line, after the flood";
        stream.append(id, new LogLine(Instant.now(), last), 10_000)
                .toCompletableFuture()
                .join();

        long bound = (STALLED + 1) * BUFFER.toBytes();
        System.out.printf(
                "%d stalled followers, %d lines of %d bytes: at most %d bytes waited for followers (bound %d)%n",
                STALLED, FLOOD_LINES, LINE_BYTES, mostWaiting.get(), bound);

        await().atMost(Duration.ofSeconds(5)).until(() -> healthy.received(last));
        assertThat(mostWaiting.get()).isLessThanOrEqualTo(bound);
        await().atMost(Duration.ofSeconds(30)).until(() -> followers.following() == 1);
    }

    /** Appends the flood as the build does, a few hundred appends in flight at a time. */
    private void flood(DeploymentId id) {
        String filler = "x".repeat(LINE_BYTES - 32);
        List<CompletableFuture<String>> inFlight = new ArrayList<>();
        for (int n = 1; n <= FLOOD_LINES; n++) {
            inFlight.add(stream.append(id, new LogLine(Instant.now(), "flood " + n + " " + filler), 10_000)
                    .toCompletableFuture());
            if (inFlight.size() == 200) {
                CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new))
                        .join();
                inFlight.clear();
            }
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
    }

    /** A follower from {@code address} whose client sends its request, then never reads. */
    private Socket stalledFollower(String address, DeploymentId id) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4_096);
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        socket.getOutputStream()
                .write(("GET /deployments/" + id + "/logs?follow=true HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Accept: text/event-stream\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /** A client that reads as fast as it can and, once let go, goes on with {@code Last-Event-ID}, as deployctl does. */
    private final class ResumingClient {

        private final DeploymentId id;
        private SseClient current;
        private String lastId;

        ResumingClient(DeploymentId id) {
            this.id = id;
            this.current = SseClient.open(uri("/deployments/" + id + "/logs?follow=true"), null);
        }

        /** Whether a line ending with {@code text} has come; reconnects from its last event if it was let go. */
        synchronized boolean received(String text) {
            current.events().stream()
                    .map(SseClient.Event::id)
                    .filter(BuildLogStream::isEntryId)
                    .reduce((first, second) -> second)
                    .ifPresent(newest -> lastId = newest);
            if (current.lines().stream().anyMatch(line -> line.endsWith(text))) {
                return true;
            }
            if (current.ended()) {
                current = SseClient.open(uri("/deployments/" + id + "/logs?follow=true"), lastId);
            }
            return false;
        }

        synchronized void close() {
            current.close();
        }
    }
}
