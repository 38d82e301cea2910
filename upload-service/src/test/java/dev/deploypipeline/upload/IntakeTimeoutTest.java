package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.testing.PipelineServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Accepting a deployment is one step in Redis. When its answer is lost (the client gave up, then Redis ran it),
 * the client is told nothing was accepted, and the deployment that exists all the same holds a fetch lease that
 * nobody renews: the sweep fails it. It is never stranded in {@code cloning}.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"redis.command-timeout=1s", "fetch.lease=2s", "fetch.lease-sweep-interval=500ms"})
class IntakeTimeoutTest extends RunningApi {

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    IntakeTimeoutTest() {
        super(null);
    }

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry);
    }

    @Test
    void aDeploymentAcceptedAfterItsRequestTimedOutIsFailedByTheSweepNotStrandedInCloning() {
        servers.git().repository("site").file("index.html", "hello").commit("site");
        RedisClient client = RedisClient.create(servers.redisServer().url().toString());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            HttpResponse<String> first = deploy(); // loads the scripts, so the next request sends only EVALSHA
            assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
            String accepted = redis.zrange("deployments", 0, -1).get(0);
            // Its fetch done first: its writes, held by the pause on the service's one connection, would hold up
            // the next request's reads there too, and that request would then fail before its intake was sent.
            await().atMost(Duration.ofSeconds(10)).until(() -> "uploaded".equals(redis.hget("status", accepted)));
            // Writes wait for 3s; reads go on. The intake's script is run once the pause ends, the client gone.
            redis.dispatch(
                    CommandType.CLIENT,
                    new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("PAUSE").add(3000).add("WRITE"));

            HttpResponse<String> refused = deploy();

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("nothing was accepted");
            await().atMost(Duration.ofSeconds(10)).until(() -> redis.zcard("deployments") == 2);
            String id = redis.zrange("deployments", 0, -1).stream()
                    .filter(other -> !other.equals(accepted))
                    .findFirst()
                    .orElseThrow();
            assertThat(redis.hget("status", id)).isIn("cloning", "failed");
            await().atMost(Duration.ofSeconds(15)).until(() -> "failed".equals(redis.hget("status", id)));
            assertThat(redis.hget("deployment:" + id, "error")).contains("stopped before it finished");
            assertThat(redis.zscore("cloning-leases", id)).isNull();
        } finally {
            client.shutdown();
        }
    }

    private HttpResponse<String> deploy() {
        return anonymous.post("/deploy", repo(servers.git().url("site")));
    }
}
