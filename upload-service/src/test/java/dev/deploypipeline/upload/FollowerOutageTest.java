package dev.deploypipeline.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.testing.PipelineServers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A follower refused because Redis or the bucket did not answer gets 503 and gives its place back: once they are
 * back, the same address follows again, however many times it was refused meanwhile (more than its
 * {@code LOG_FOLLOWERS_PER_CLIENT}).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"log.followers.per-client=2"})
class FollowerOutageTest extends RunningApi {

    private static final int REFUSALS = 4;

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.startAlone();

    FollowerOutageTest() {
        super(null);
    }

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry);
    }

    @Test
    void eventWatchersRefusedWhileRedisIsDownGiveTheirPlacesBack() {
        servers.redisServer().stop();
        try {
            for (int i = 0; i < REFUSALS; i++) {
                assertUnavailable(anonymous.openStream("/events"));
            }
        } finally {
            servers.redisServer().startAgain();
        }

        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> anonymous.openStream("/events").statusCode() == 200);
    }

    @Test
    void logFollowersRefusedWhileTheBucketIsDownGiveTheirPlacesBack() {
        DeploymentId id = DeploymentId.random();
        servers.transitions()
                .accept(
                        Deployment.accepted(id, "https://example.com/site.git", null, null, Instant.now()),
                        Duration.ofMinutes(1));
        servers.transitions().fail(id, "failed for this test");
        String follow = "/deployments/" + id + "/logs?follow=true";

        servers.s3Server().stop();
        try {
            for (int i = 0; i < REFUSALS; i++) {
                assertUnavailable(anonymous.openStream(follow));
            }
        } finally {
            servers.s3Server().startAgain();
        }

        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> anonymous.openStream(follow).statusCode() == 200);
    }

    private static void assertUnavailable(HttpResponse<String> refused) {
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    }
}
