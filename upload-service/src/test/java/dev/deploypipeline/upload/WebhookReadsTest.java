package dev.deploypipeline.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.testing.PipelineServers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Anyone may send the webhook a delivery, and each is held until all of it has arrived: past {@code
 * GITHUB_READS_AT_ONCE} read side by side, a delivery is told 503 with {@code Retry-After}, and the webhook serves
 * again once the slow ones are gone.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "github.webhook-secret=" + WebhookReadsTest.SECRET,
            "github.reads-at-once=" + WebhookReadsTest.AT_ONCE
        })
class WebhookReadsTest extends RunningApi {

    static final String SECRET = "webhook-secret-5e1f";
    static final int AT_ONCE = 2;

    /** A push's headers with a signature of the right shape, announcing a body that never comes. */
    private static final String SLOW_DELIVERY = "POST /webhooks/github HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/json\r\nX-GitHub-Event: push\r\nX-GitHub-Delivery: slow\r\n"
            + "X-Hub-Signature-256: sha256=" + "0".repeat(64) + "\r\nContent-Length: 1000\r\n\r\n";

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    WebhookReadsTest() {
        super(null, SECRET);
    }

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry);
    }

    @Test
    void deliveriesBeyondTheOnesReadAtOnceAreToldToTryAgainAndTheWebhookServesOnceTheSlowOnesAreGone()
            throws IOException {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < AT_ONCE; i++) {
                slow.add(sendHeadersOnly());
            }

            // Until the slow ones are being read, another is read too, and waits (the read times out).
            String refused = await().atMost(Duration.ofSeconds(20))
                    .ignoreExceptions()
                    .until(
                            () -> {
                                try (Socket another = sendHeadersOnly()) {
                                    return answerOf(another);
                                }
                            },
                            answer -> answer.startsWith("HTTP/1.1 503"));

            assertThat(refused).contains("Retry-After: 5").contains("GITHUB_READS_AT_ONCE (2)");
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }

        await().atMost(Duration.ofSeconds(10))
                .until(() -> github.send("ping", UUID.randomUUID().toString(), "{}", SECRET)
                                .statusCode()
                        == 200);
    }

    private Socket sendHeadersOnly() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(2_000);
        socket.getOutputStream().write(SLOW_DELIVERY.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** The answer's status line and headers, and as much of its body as came in one read. */
    private static String answerOf(Socket socket) throws IOException {
        BufferedReader in =
                new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        StringBuilder answer = new StringBuilder();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            answer.append(line).append('\n');
            if (line.isEmpty()) {
                char[] body = new char[4096];
                int read = in.read(body);
                answer.append(body, 0, Math.max(read, 0));
                break;
            }
        }
        return answer.toString();
    }
}
