package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.repo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.testing.PipelineServers;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The API while Redis is down and after it is back, without restarting the service. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RedisOutageTest extends RunningApi {

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.startWithAppendOnlyRedis();

    RedisOutageTest() {
        super(null);
    }

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry);
    }

    @Test
    void deployIsRefusedWith503WhileRedisIsDownAndAcceptedOnceItIsBack() {
        servers.git().repository("site").file("index.html", "hello").commit("site");
        servers.redisServer().stop();

        HttpResponse<String> refused = deploy();

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).contains("nothing was accepted");

        servers.redisServer().startAgain();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> deploy().statusCode() == 202);
    }

    private HttpResponse<String> deploy() {
        return anonymous.post("/deploy", repo(servers.git().url("site")));
    }
}
