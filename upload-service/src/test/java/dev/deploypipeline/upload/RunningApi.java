package dev.deploypipeline.upload;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The service on a random port, as its subclass's {@code @SpringBootTest} starts it, and clients of its HTTP API:
 * {@link #api} with the class's token, {@link #anonymous} with none, and {@link #github} signing pushes with the
 * class's webhook secret. Each subclass keeps servers of its own (a static {@code @RegisterExtension} field given to
 * the context by its {@code @DynamicPropertySource}), so that no class sees another's Redis.
 */
abstract class RunningApi {

    @LocalServerPort
    int port;

    ApiClient api;
    ApiClient anonymous;
    GitHubDeliveries github;

    private final String token;
    private final String webhookSecret;

    /** Clients of a service whose API takes {@code token}, or none when it is null. */
    RunningApi(String token) {
        this(token, null);
    }

    /** The same, and GitHub deliveries signed with {@code webhookSecret}. */
    RunningApi(String token, String webhookSecret) {
        this.token = token;
        this.webhookSecret = webhookSecret;
    }

    @BeforeEach
    void clients() {
        api = new ApiClient(port, token);
        anonymous = new ApiClient(port, null);
        github = webhookSecret == null ? null : new GitHubDeliveries(api, webhookSecret);
    }
}
