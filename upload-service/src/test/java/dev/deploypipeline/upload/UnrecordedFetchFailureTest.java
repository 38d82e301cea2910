package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.deploypipeline.testing.PipelineServers;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A fetch that fails while Redis refuses writes (at {@code maxmemory} with {@code noeviction}): a script whose first
 * write grows memory is refused, but a plain {@code ZREM} is not. The fetch's lease must never end apart from its
 * failure, which would leave the deployment {@code cloning} for good with nothing to fail it: the lease goes in the
 * failure's own script (which Redis then runs whole, its first write being that {@code ZREM}), or, should that be
 * refused, stays to lapse, and the sweep fails the deployment once Redis takes writes again.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"fetch.lease=2s", "fetch.lease-sweep-interval=500ms"})
class UnrecordedFetchFailureTest extends RunningApi {

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    /** A git host that answers {@code 404} to each request, once the test lets it. */
    private static final CountDownLatch asked = new CountDownLatch(1);

    private static final CountDownLatch answer = new CountDownLatch(1);
    private static final HttpServer gitHost = missingRepositories();

    UnrecordedFetchFailureTest() {
        super(null);
    }

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry, "127.0.0.1:" + gitHost.getAddress().getPort());
    }

    @AfterAll
    static void stopGitHost() {
        gitHost.stop(0);
    }

    @Test
    void aFetchThatFailsWhileRedisRefusesWritesEndsFailedNotCloningWithoutALease() throws InterruptedException {
        RedisClusterCommands<String, String> redis = servers.redis();
        HttpResponse<String> accepted = anonymous.post(
                "/deploy", repo("http://127.0.0.1:" + gitHost.getAddress().getPort() + "/gone.git"));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String id = redis.zrange("deployments", 0, -1).get(0);
        assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            redis.configSet("maxmemory-policy", "noeviction");
            redis.configSet("maxmemory", "1");
            answer.countDown(); // the fetch fails now, while Redis refuses writes

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> redis.zscore("cloning-leases", id) == null
                            || redis.zscore("cloning-leases", id) < System.currentTimeMillis());
        } finally {
            redis.configSet("maxmemory", "0");
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> "failed".equals(redis.hget("status", id)));
        // The fetch's own reason when its failure was written; the sweep's when it was refused and the lease lapsed.
        assertThat(redis.hget("deployment:" + id, "error"))
                .containsAnyOf("not found", "could not record how the fetch ended");
        assertThat(redis.zscore("cloning-leases", id)).isNull();
    }

    private static HttpServer missingRepositories() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                asked.countDown();
                try {
                    answer.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
