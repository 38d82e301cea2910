package dev.deploypipeline.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.storage.S3Settings;
import dev.deploypipeline.testing.GitHttpServer;
import dev.deploypipeline.testing.RedisServer;
import dev.deploypipeline.testing.S3Server;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Accepting a deployment is one step in Redis. When its answer is lost (the client gave up, then Redis ran it),
 * the client is told nothing was accepted, and the deployment that exists all the same holds a fetch lease that
 * nobody renews: the sweep fails it. It is never stranded in {@code cloning}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"REDIS_COMMAND_TIMEOUT=1s", "fetch.leases.lease=2s", "fetch.leases.sweep-interval=500ms"})
class IntakeTimeoutTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static RedisServer redisServer;
    private static GitHttpServer git;
    private static S3Settings s3;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startServers() {
        redisServer = RedisServer.start();
        git = GitHttpServer.start();
        git.repository("site").file("index.html", "hello").commit("site");
        s3 = S3Server.shared().newBucket();
    }

    @AfterAll
    static void stopServers() {
        git.close();
        redisServer.close();
    }

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        registry.add("REDIS_URL", () -> redisServer.url().toString());
        registry.add("S3_ENDPOINT", () -> s3.endpoint().toString());
        registry.add("S3_BUCKET", s3::bucket);
        registry.add("git.allowed-hosts", git::hostAndPort);
    }

    @Test
    void aDeploymentAcceptedAfterItsRequestTimedOutIsFailedByTheSweepNotStrandedInCloning() throws Exception {
        RedisClient client = RedisClient.create(redisServer.url().toString());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            HttpResponse<String> first = deploy(); // loads the scripts, so the next request sends only EVALSHA
            assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
            String accepted = redis.zrange("deployments", 0, -1).get(0);
            // Writes wait for 3s; reads go on. The intake's script is run once the pause ends, the client gone.
            redis.dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("PAUSE").add(3000).add("WRITE"));

            HttpResponse<String> refused = deploy();

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("nothing was accepted");
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.zcard("deployments") == 2);
            String id = redis.zrange("deployments", 0, -1).stream().filter(other -> !other.equals(accepted))
                    .findFirst().orElseThrow();
            assertThat(redis.hget("status", id)).isIn("cloning", "failed");
            await().atMost(Duration.ofSeconds(15)).until(() -> "failed".equals(redis.hget("status", id)));
            assertThat(redis.hget("deployment:" + id, "error")).contains("stopped before it finished");
            assertThat(redis.zscore("cloning-leases", id)).isNull();
        } finally {
            client.shutdown();
        }
    }

    private HttpResponse<String> deploy() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/deploy"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"repoUrl\":\"" + git.url("site") + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
