package dev.deploypipeline.upload.deployments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.buildlog.BuildLogStream;
import dev.deploypipeline.buildlog.LogLine;
import dev.deploypipeline.deployment.DeploymentId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The caps on log followers, over real HTTP and a real Redis: past {@code LOG_FOLLOWERS_PER_CLIENT} from one
 * address, or {@code LOG_FOLLOWERS_MAX} in all, a follower gets 429 with {@code Retry-After} while those already
 * following keep streaming; and the followers of one deployment share one blocking reader of its stream.
 */
@TestPropertySource(properties = {"log.followers.max=3", "log.followers.per-client=2"})
class LogFollowerCapTest extends RunningService {

    private final BuildLogStream stream = new BuildLogStream(SERVERS.connector());
    private final List<SseClient> clients = new ArrayList<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final List<DeploymentId> followed = new CopyOnWriteArrayList<>();
    private final AtomicInteger printed = new AtomicInteger();

    @Autowired
    LogFollowers followers;

    @AfterEach
    void leave() throws IOException {
        clients.forEach(SseClient::close);
        for (Socket socket : sockets) {
            socket.close();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            followed.forEach(id -> print(id, 1)); // a follower that left is noticed when it is next written to
            return followers.following() == 0;
        });
    }

    @Test
    void pastThePerClientCapAFollowerGets429WithRetryAfterAndTheOthersKeepStreaming() throws Exception {
        DeploymentId id = building("replica-a-w1");
        SseClient first = follow(id);
        SseClient second = follow(id);
        await().atMost(Duration.ofSeconds(5)).until(() -> followers.following() == 2);

        HttpResponse<String> refused = get("/deployments/" + id + "/logs?follow=true");

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("10");
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.body()).contains("LOG_FOLLOWERS_PER_CLIENT");
        print(id, 3);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> first.lines().size() == 3 && second.lines().size() == 3);
    }

    @Test
    void pastTheTotalCapEveryAddressGets429AndTheOthersKeepStreaming() throws IOException {
        DeploymentId id = building("replica-a-w1");
        SseClient first = follow(id);
        SseClient second = follow(id);
        List<String> third = followFrom("127.0.0.2", id);
        await().atMost(Duration.ofSeconds(5)).until(() -> followers.following() == 3);

        List<String> refused = followFrom("127.0.0.3", id);

        await().atMost(Duration.ofSeconds(5)).until(() -> refused.contains("Retry-After: 10"));
        assertThat(refused.get(0)).isEqualTo("HTTP/1.1 429 ");
        print(id, 2);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> first.lines().size() == 2
                        && second.lines().size() == 2
                        && third.stream()
                                        .filter(line -> line.startsWith("data:"))
                                        .count()
                                == 2);
    }

    @Test
    void theFollowersOfADeploymentShareOneBlockingReaderWhichStopsWhenTheLastLeaves() {
        DeploymentId id = building("replica-a-w1");
        SseClient early = follow(id);
        print(id, 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> early.lines().size() == 2);

        SseClient late = follow(id);

        await().atMost(Duration.ofSeconds(5)).until(() -> late.lines().size() == 2);
        assertThat(readersOf(id)).isEqualTo(1);
        print(id, 1);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> early.lines().size() == 3 && late.lines().size() == 3);
        assertThat(early.lines()).isEqualTo(late.lines()).doesNotHaveDuplicates();
        early.close();
        late.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            print(id, 1);
            return readersOf(id) == 0 && followers.following() == 0;
        });
    }

    @Test
    void aFollowerThatLeftGivesItsPlaceBack() {
        DeploymentId id = building("replica-a-w1");
        SseClient first = follow(id);
        follow(id);
        print(id, 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> first.lines().size() == 1);
        first.close();

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            print(id, 1);
            return followers.following() == 1;
        });
        SseClient again = follow(id);
        print(id, 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !again.lines().isEmpty());
    }

    /** How many connections read the deployment's log for its followers. */
    private long readersOf(DeploymentId id) {
        return SERVERS.connector()
                .shared()
                .sync()
                .clientList()
                .lines()
                .filter(client -> client.contains(" name=log-reader:" + id + " "))
                .count();
    }

    private SseClient follow(DeploymentId id) {
        followed.add(id);
        SseClient client = SseClient.open(uri("/deployments/" + id + "/logs?follow=true"), null);
        clients.add(client);
        return client;
    }

    /** Follows from another loopback address; what it reads, line by line, as it comes. */
    private List<String> followFrom(String address, DeploymentId id) throws IOException {
        followed.add(id);
        Socket socket = new Socket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        socket.getOutputStream()
                .write(("GET /deployments/" + id + "/logs?follow=true HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Accept: text/event-stream\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("closed: " + e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private void print(DeploymentId id, int count) {
        for (int n = 0; n < count; n++) {
            stream.append(id, new LogLine(Instant.now(), "line " + printed.incrementAndGet()), 10_000)
                    .toCompletableFuture()
                    .join();
        }
    }
}
