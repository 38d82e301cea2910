package dev.deploypipeline.upload;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The service on a random port, as its subclass's {@code @SpringBootTest} starts it, and clients of its HTTP API:
 * {@link #api} with the token the service was given ({@code api.token}, none if it has none), {@link #anonymous}
 * with none, and {@link #github} signing pushes with its {@code github.webhook-secret} when it has one. Each
 * subclass keeps servers of its own, a static {@code @RegisterExtension} {@code PipelineServers} field that
 * {@link RunningApiServers} gives to its context, so that no class sees another's Redis.
 */
abstract class RunningApi {

    @LocalServerPort
    int port;

    @Value("${api.token:#{null}}")
    private String token;

    @Value("${github.webhook-secret:#{null}}")
    private String webhookSecret;

    ApiClient api;
    ApiClient anonymous;
    GitHubDeliveries github;

    @BeforeEach
    void clients() {
        api = new ApiClient(port, token);
        anonymous = new ApiClient(port, null);
        github = webhookSecret == null ? null : new GitHubDeliveries(api, webhookSecret);
    }
}
