package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.testing.MovableClock;
import dev.deploypipeline.testing.PipelineServers;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.commons.codec.digest.DigestUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Tokens made with {@code expiresIn} through the real API: they work until then and not a moment after, Redis
 * forgets them then, and a lifetime that cannot be one is refused.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"api.token=" + TokenExpiryTest.ADMIN})
class TokenExpiryTest {

    static final String ADMIN = "admin-token-of-the-expiry-test";
    static final MovableClock CLOCK = MovableClock.ofSystemTime();

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    @LocalServerPort
    int port;

    @TestConfiguration
    static class MovableTime {
        @Bean
        Clock clock() {
            return CLOCK;
        }
    }

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry);
    }

    @Test
    void aTokenWorksUntilItExpiresAndNotAfterWhileOneWithoutExpiryKeepsWorking() {
        JsonNode expiring = made(Map.of("name", "one day", "scope", "read", "expiresIn", "1d"));
        JsonNode lasting = made(Map.of("name", "lasting", "scope", "read"));
        String value = expiring.get("token").asString();
        Instant expiresAt = Instant.parse(expiring.get("expiresAt").asString());

        assertThat(Duration.between(Instant.parse(expiring.get("createdAt").asString()), expiresAt))
                .isEqualTo(Duration.ofDays(1));
        assertThat(lasting.has("expiresAt")).isFalse();
        assertThat(client(value).get("/deployments").statusCode()).isEqualTo(200);
        JsonNode listed = client(ADMIN).getJson("/tokens");
        assertThat(listed.findValuesAsString("expiresAt")).containsExactly(expiresAt.toString());
        long ttl = servers.redis().pttl("token:" + DigestUtils.sha256Hex(value));
        assertThat(ttl)
                .isBetween(Duration.ofHours(23).toMillis(), Duration.ofDays(1).toMillis());

        CLOCK.set(expiresAt.minusSeconds(1));
        assertThat(client(value).get("/deployments").statusCode()).isEqualTo(200);
        CLOCK.set(expiresAt);
        HttpResponse<String> expired = client(value).get("/deployments");

        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(read(expired).get("detail").asString()).contains("expired");
        assertThat(client(lasting.get("token").asString()).get("/deployments").statusCode())
                .isEqualTo(200);
    }

    @Test
    void aTokenRedisHasForgottenAtItsExpiryLeavesTheListAndCanNoLongerBeRevoked() {
        JsonNode expiring = made(Map.of("name", "short", "scope", "read", "expiresIn", "1m"));
        String id = expiring.get("id").asString();
        // What Redis does by itself when the minute is up.
        servers.redis()
                .del("token:" + DigestUtils.sha256Hex(expiring.get("token").asString()));

        assertThat(client(ADMIN).get("/tokens").body()).doesNotContain(id);
        assertThat(servers.redis().hget("tokens", id)).isNull();
        assertThat(client(ADMIN).delete("/tokens/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void lifetimesThatCannotBeOneAre400AndMakeNoToken() {
        long before = client(ADMIN).getJson("/tokens").size();

        for (Object expiresIn : List.of("0s", "-1h", "59s", "3651d", "soon", "", 30, List.of("1d"))) {
            HttpResponse<String> response =
                    client(ADMIN).post("/tokens", Map.of("name", "x", "scope", "read", "expiresIn", expiresIn));

            assertThat(response.statusCode()).as(String.valueOf(expiresIn)).isEqualTo(400);
            assertThat(read(response).get("detail").asString()).isNotBlank();
        }
        assertThat(client(ADMIN).getJson("/tokens").size()).isEqualTo(before);
    }

    private JsonNode made(Map<String, Object> request) {
        HttpResponse<String> response = client(ADMIN).post("/tokens", request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return read(response);
    }

    private ApiClient client(String token) {
        return new ApiClient(port, token);
    }
}
