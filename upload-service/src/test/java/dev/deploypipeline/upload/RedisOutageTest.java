package dev.deploypipeline.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.testing.PipelineServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The API while Redis is down and after it is back, without restarting the service. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RedisOutageTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.startWithAppendOnlyRedis();

    @LocalServerPort
    int port;

    @BeforeAll
    static void repository() {
        servers.git().repository("site").file("index.html", "hello").commit("site");
    }

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry);
    }

    @Test
    void deployIsRefusedWith503WhileRedisIsDownAndAcceptedOnceItIsBack() throws Exception {
        servers.redisServer().stop();

        HttpResponse<String> refused = deploy();

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).contains("nothing was accepted");

        servers.redisServer().startAgain();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> deploy().statusCode() == 202);
    }

    private HttpResponse<String> deploy() throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/deploy"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"repoUrl\":\"" + servers.git().url("site") + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
