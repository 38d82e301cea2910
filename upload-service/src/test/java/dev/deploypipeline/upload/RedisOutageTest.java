package dev.deploypipeline.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.storage.S3Settings;
import dev.deploypipeline.testing.GitHttpServer;
import dev.deploypipeline.testing.RedisServer;
import dev.deploypipeline.testing.S3Server;
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

/** The API while Redis is down and after it is back, without restarting the service. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RedisOutageTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static RedisServer redisServer;
    private static GitHttpServer git;
    private static S3Settings s3;

    @LocalServerPort
    int port;

    @BeforeAll
    static void startServers() {
        redisServer = RedisServer.startWithAppendOnlyFile();
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
    void deployIsRefusedWith503WhileRedisIsDownAndAcceptedOnceItIsBack() throws Exception {
        redisServer.stop();

        HttpResponse<String> refused = deploy();

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).contains("nothing was accepted");

        redisServer.startAgain();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> deploy().statusCode() == 202);
    }

    private HttpResponse<String> deploy() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/deploy"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"repoUrl\":\"" + git.url("site") + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
