package dev.deploypipeline.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.testing.PipelineServers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Senders that take every one of {@code GITHUB_READS_AT_ONCE} and then dribble their bodies a byte at a time, each
 * byte well within the server's connection timeout, lose their places at {@code GITHUB_READ_TIMEOUT}: they are
 * answered 408 and cut off, and GitHub's deliveries are read again.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "github.webhook-secret=" + WebhookReadTimeoutTest.SECRET,
            "github.read-timeout=" + WebhookReadTimeoutTest.READ_TIMEOUT
        })
class WebhookReadTimeoutTest extends RunningApi {

    static final String SECRET = "webhook-secret-77d1";
    static final String READ_TIMEOUT = "3s";

    /** GITHUB_READS_AT_ONCE as it is by default. */
    private static final int AT_ONCE = 16;

    /** A push's headers with a signature of the right shape, announcing a body of which one byte comes at a time. */
    private static final String DRIBBLED_DELIVERY = "POST /webhooks/github HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/json\r\nX-GitHub-Event: push\r\nX-GitHub-Delivery: dribbled\r\n"
            + "X-Hub-Signature-256: sha256=" + "0".repeat(64) + "\r\nContent-Length: 100000\r\n\r\n{";

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    WebhookReadTimeoutTest() {
        super(null, SECRET);
    }

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry);
    }

    @Test
    void sendersDribblingTheirBodiesAreCutAtTheReadTimeoutAndASignedPingIsAnsweredMeanwhile() throws IOException {
        List<Socket> slow = new ArrayList<>();
        ScheduledExecutorService dribbler = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int i = 0; i < AT_ONCE; i++) {
                slow.add(dribbledDelivery());
            }
            dribbler.scheduleAtFixedRate(
                    () -> slow.forEach(WebhookReadTimeoutTest::oneMoreByte), 0, 200, TimeUnit.MILLISECONDS);

            // While they hold every place, a delivery is turned away...
            await().atMost(Duration.ofSeconds(2))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> ping() == 503);
            // ...until the read timeout takes their places from them, though they still send.
            await().atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> ping() == 200);

            for (Socket socket : slow) {
                assertThat(answerAndEnd(socket)).startsWith("HTTP/1.1 408").contains("GITHUB_READ_TIMEOUT");
            }
        } finally {
            dribbler.shutdownNow();
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    private int ping() {
        return github.send("ping", UUID.randomUUID().toString(), "{}", SECRET).statusCode();
    }

    private Socket dribbledDelivery() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(DRIBBLED_DELIVERY.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** The next byte of the body, until the server answers. */
    private static void oneMoreByte(Socket socket) {
        try {
            if (socket.getInputStream().available() > 0) {
                return;
            }
            socket.getOutputStream().write(' ');
            socket.getOutputStream().flush();
        } catch (IOException closed) {
            // cut off: what the test waits for
        }
    }

    /**
     * All the server sent, up to its closing the connection: the end of the stream, or a reset, as it closes with
     * bytes of the body unread. A read timeout here fails the test.
     */
    private static String answerAndEnd(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try {
            for (int read = in.read(chunk); read >= 0; read = in.read(chunk)) {
                answer.write(chunk, 0, read);
            }
        } catch (SocketException reset) {
            // closed by the server
        }
        return answer.toString(StandardCharsets.US_ASCII);
    }
}
