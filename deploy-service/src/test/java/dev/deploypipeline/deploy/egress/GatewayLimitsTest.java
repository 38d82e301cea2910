package dev.deploypipeline.deploy.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deploy.egress.GateClient.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.util.unit.DataSize;

/** What a gateway does with bad or slow clients, too many connections, idle tunnels, and when it closes. */
@Timeout(30)
class GatewayLimitsTest {

    private static final Duration SHORT = Duration.ofMillis(300);

    @RegisterExtension
    final TestGates gates = new TestGates();

    @RegisterExtension
    final OriginServer origin = new OriginServer();

    @Test
    void requestsThatAreNotProxyRequestsAreAnswered400() throws IOException {
        Gateway gateway = gates.open(origin.authority());

        List<Response> responses = List.of(
                GateClient.ask(gateway.socket(), "HELLO\r\n\r\n"),
                GateClient.ask(gateway.socket(), "GET /relative HTTP/1.1\r\nHost: x\r\n\r\n"),
                GateClient.ask(gateway.socket(), "CONNECT 127.0.0.1 HTTP/1.1\r\n\r\n"),
                GateClient.ask(gateway.socket(), "GET http://bad_host!/ HTTP/1.1\r\n\r\n"),
                GateClient.ask(gateway.socket(), "GET http://x/ HTTP/1.1\r\n folded: header\r\n\r\n"));

        assertThat(responses).extracting(Response::status).containsOnly(400);
        assertThat(responses.get(1).body()).contains("ask for an absolute http:// URL");
        assertThat(responses.get(2).body()).contains("has no port");
        assertThat(gates.dialer.attempts()).isEmpty();
    }

    @Test
    void aRequestHeadLargerThanTheLimitIsAnswered400() throws IOException {
        Gateway gateway = gates.open(origin.authority());

        Response response = GateClient.ask(
                gateway.socket(),
                "GET http://" + origin.authority() + "/ HTTP/1.1\r\n" + "X-Large: "
                        + "a".repeat(Math.toIntExact(DataSize.ofKilobytes(20).toBytes())) + "\r\n\r\n");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("larger than 16384 bytes");
        assertThat(origin.received()).isEmpty();
    }

    @Test
    void aRequestHeadNotSentInTimeIsAnswered400() throws IOException {
        Gateway gateway = gates.open(settings(TestGates.SETTINGS.idleTimeout(), SHORT, 8), origin.authority());

        Response partial = GateClient.ask(gateway.socket(), "CONNECT " + origin.authority() + " HTTP/1.1\r\n");
        Response nothing = GateClient.ask(gateway.socket(), "");

        assertThat(List.of(partial, nothing))
                .extracting(Response::body)
                .containsOnly("the request head was not sent within 300 ms\n");
        assertThat(gates.dialer.attempts()).isEmpty();
    }

    @Test
    void connectionsBeyondTheCapAreAnswered503UntilOneCloses() throws IOException {
        Gateway gateway = gates.open(settings(TestGates.SETTINGS.idleTimeout(), SHORT, 2), origin.authority());
        GateClient first = GateClient.connect(gateway.socket()).connectTo(origin.authority());
        try (GateClient second = GateClient.connect(gateway.socket()).connectTo(origin.authority())) {
            assertThat(List.of(first.response(), second.response()))
                    .extracting(Response::status)
                    .containsOnly(200);

            Response third =
                    GateClient.connectEach(gateway.socket(), origin.authority()).get(0);

            assertThat(third.status()).isEqualTo(503);
            assertThat(third.body()).contains("2 connections open");
            first.close();
            await().untilAsserted(() -> assertThat(GateClient.connectEach(gateway.socket(), origin.authority()))
                    .extracting(Response::status)
                    .containsExactly(200));
        }
    }

    @Test
    void aTunnelIdleForLongerThanTheIdleTimeoutIsClosed() throws IOException {
        Gateway gateway = gates.open(settings(SHORT, TestGates.SETTINGS.requestHeadTimeout(), 8), origin.authority());

        try (GateClient client = GateClient.connect(gateway.socket()).connectTo(origin.authority())) {
            assertThat(client.response().status()).isEqualTo(200);

            assertThat(client.readToEnd()).isEmpty(); // ends, rather than waiting for the test's timeout
        }
    }

    @Test
    void eachSideMayCloseItsSendingHalfAndStillReceive() throws IOException {
        try (ServerSocket echo = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> echoOnceAllIsRead(echo), "echo-server");
            server.start();
            Gateway gateway = gates.open("127.0.0.1:" + echo.getLocalPort());

            try (GateClient client =
                    GateClient.connect(gateway.socket()).connectTo("127.0.0.1:" + echo.getLocalPort())) {
                assertThat(client.response().status()).isEqualTo(200);
                client.send("ping");
                client.shutdownOutput();

                assertThat(client.readToEnd()).isEqualTo("echo: ping");
            }
        }
    }

    @Test
    void closingTheGatewayEndsItsTunnelsAndThreadsAndRemovesItsSocket() throws IOException {
        Gateway gateway = gates.open(origin.authority());
        try (GateClient client = GateClient.connect(gateway.socket()).connectTo(origin.authority())) {
            assertThat(client.response().status()).isEqualTo(200);

            gateway.close();
            gateway.close();

            assertThat(client.readToEnd()).isEmpty();
        }
        assertThat(gateway.socket()).doesNotExist();
        assertThatThrownBy(() -> GateClient.connect(gateway.socket())).isInstanceOf(IOException.class);
        await().until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().startsWith("egress-test-0-")));
    }

    @Test
    void theSocketIsItsOwnersOnlyInAFolderOthersMayPass() throws IOException {
        Path socket = gates.folder().resolve("missing/egress.sock");

        Gateway gateway = gates.openAt(socket, TestGates.SETTINGS, List.of(), List.of());

        assertThat(gateway.socket()).isEqualTo(socket);
        assertThat(Files.getPosixFilePermissions(socket)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(socket.getParent()))
                .isEqualTo(PosixFilePermissions.fromString("rwx--x--x"));
    }

    @Test
    void aSocketLeftBehindAtThePathIsReplaced() throws IOException {
        Path socket = gates.folder().resolve("left-behind.sock");
        try (ServerSocketChannel earlier = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            earlier.bind(UnixDomainSocketAddress.of(socket)); // closing it leaves the file, as a crash would
        }

        Gateway gateway = gates.openAt(socket, TestGates.SETTINGS, List.of(origin.authority()), List.of());

        assertThat(GateClient.connectEach(gateway.socket(), origin.authority()))
                .extracting(Response::status)
                .containsExactly(200);
    }

    @Test
    void aFileThatIsNoSocketAtThePathIsKeptAndNoGatewayOpens() throws IOException {
        Path file = Files.writeString(gates.folder().resolve("not-a-socket"), "keep me");

        assertThatThrownBy(() -> gates.openAt(file, TestGates.SETTINGS, List.of(), List.of()))
                .isInstanceOf(IOException.class);
        assertThat(file).hasContent("keep me");
    }

    private static EgressSettings settings(Duration idle, Duration head, int maxConnections) {
        EgressSettings base = TestGates.SETTINGS;
        return new EgressSettings(base.connectTimeout(), idle, head, base.maxRequestHead(), maxConnections);
    }

    private static void echoOnceAllIsRead(ServerSocket echo) {
        try (Socket socket = echo.accept();
                InputStream input = socket.getInputStream()) {
            byte[] received = input.readAllBytes();
            socket.getOutputStream()
                    .write(("echo: " + new String(received, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
