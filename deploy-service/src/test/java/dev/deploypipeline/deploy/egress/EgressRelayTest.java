package dev.deploypipeline.deploy.egress;

import static dev.deploypipeline.deploy.egress.RelayProcess.shell;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deploy.egress.RelayProcess.Finished;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The relay in front of a gateway, as a build's command sees it: curl and shells through relay and gate. */
@Timeout(60)
class EgressRelayTest {

    @RegisterExtension
    final TestGates gates = new TestGates();

    @RegisterExtension
    final OriginServer origin = new OriginServer();

    private RelayProcess relay;

    @BeforeEach
    void install() throws IOException {
        relay = new RelayProcess(gates.folder());
    }

    @Test
    void curlReachesAnAllowlistedServerThroughRelayAndGateByPlainHttpAndByConnect()
            throws IOException, InterruptedException {
        Gateway gateway = gates.open(origin.authority());

        Finished finished = relay.run(
                gateway.socket(),
                shell(
                        "curl -sS -f \"$1/plain\" && echo" + " && curl -sS -f --proxytunnel \"$1/tunnel\"",
                        "http://" + origin.authority()));

        assertThat(finished.exitCode()).as(finished.errors()).isZero();
        assertThat(finished.output()).isEqualTo("hello from /plain\nhello from /tunnel");
        assertThat(origin.received()).extracting(OriginServer.Received::target).containsExactly("/plain", "/tunnel");
        // The gate rewrote the plain request: curl itself would not ask to close.
        assertThat(origin.received().get(0).headers().getFirst("Connection")).isEqualTo("close");
        assertThat(gates.dialer.attempts()).containsExactly(origin.authority(), origin.authority());
    }

    @Test
    void aRefusedDestinationFailsTheCommandAndItsRefusalIsReported() throws IOException, InterruptedException {
        gates.resolver.answer("localhost", "127.0.0.1");
        Gateway gateway = gates.open(origin.authority()); // by its address, not by another name
        String byName = "localhost:" + origin.port();

        Finished plain = relay.run(gateway.socket(), shell("curl -sS -f \"$1\"", "http://" + byName));
        Finished tunnel = relay.run(gateway.socket(), shell("curl -sS --proxytunnel \"$1\"", "http://" + byName));

        assertThat(plain.exitCode()).isEqualTo(22); // curl: HTTP error (403), passed through by the relay
        assertThat(tunnel.exitCode()).isEqualTo(56); // curl: CONNECT answered 403
        assertThat(tunnel.errors()).contains("403");
        String refusal = "[network] refused a connection to " + byName
                + ": host localhost resolves to 127.0.0.1, a loopback address";
        assertThat(gates.refusals).containsExactly(refusal, refusal);
        assertThat(origin.received()).isEmpty();
        assertThat(gates.dialer.attempts()).isEmpty();
    }

    @Test
    void theCommandGetsEveryProxyVariableAndNoExceptionsWhateverItInherited() throws IOException, InterruptedException {
        Gateway gateway = gates.open();

        Finished finished = relay.run(
                gateway.socket(),
                Map.of(
                        "NO_PROXY",
                        "internal.example",
                        "Https_Proxy",
                        "http://elsewhere:1",
                        "NPM_CONFIG_HTTPS_PROXY",
                        "http://elsewhere:1"),
                Duration.ofSeconds(30),
                List.of("env"));

        Map<String, String> environment = new TreeMap<>();
        finished.output()
                .lines()
                .filter(line -> line.contains("="))
                .forEach(line ->
                        environment.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
        String proxy = environment.get("HTTPS_PROXY");
        assertThat(proxy).matches("http://127\\.0\\.0\\.1:[0-9]+");
        assertThat(environment)
                .containsEntry("HTTP_PROXY", proxy)
                .containsEntry("http_proxy", proxy)
                .containsEntry("https_proxy", proxy)
                .containsEntry("ALL_PROXY", proxy)
                .containsEntry("all_proxy", proxy)
                .containsEntry("npm_config_proxy", proxy)
                .containsEntry("npm_config_https_proxy", proxy)
                .containsEntry("YARN_HTTP_PROXY", proxy)
                .containsEntry("YARN_HTTPS_PROXY", proxy)
                .containsEntry("NODE_USE_ENV_PROXY", "1")
                .containsEntry("NO_PROXY", "")
                .containsEntry("no_proxy", "")
                .containsEntry("npm_config_noproxy", "")
                .containsEntry("npm_config_no_proxy", "")
                .doesNotContainKeys("Https_Proxy", "NPM_CONFIG_HTTPS_PROXY");
    }

    @Test
    void theCommandsExitCodeIsTheRelaysAndASignalsIs128PlusItsNumber() throws IOException, InterruptedException {
        Gateway gateway = gates.open();

        assertThat(relay.run(gateway.socket(), shell("exit 7")).exitCode()).isEqualTo(7);
        assertThat(relay.run(gateway.socket(), shell("kill -TERM $$")).exitCode())
                .isEqualTo(128 + 15);
        assertThat(relay.run(gateway.socket(), List.of("no-such-command-anywhere"))
                        .exitCode())
                .isEqualTo(127);
    }

    @Test
    void aTermSentToTheRelayIsPassedToItsCommand() throws IOException, InterruptedException {
        Gateway gateway = gates.open();
        Process process = relay.start(
                gateway.socket(),
                Map.of(),
                List.of(
                        "node",
                        "-e",
                        "process.on('SIGTERM',"
                                + " () => process.exit(42)); console.log('ready'); setInterval(() => {}, 1000);"));
        await().atMost(Duration.ofSeconds(20)).until(() -> relay.output().contains("ready"));

        process.destroy(); // SIGTERM

        assertThat(process.waitFor()).isEqualTo(42);
    }

    @Test
    void aMissingOrDeadSocketEndsTheRelayWithOneClearLine() throws IOException, InterruptedException {
        Path dead = gates.folder().resolve("dead.sock");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            listener.bind(UnixDomainSocketAddress.of(dead)); // closed, it leaves a file nobody listens on
        }

        Finished missing = relay.run(gates.folder().resolve("absent.sock"), shell("echo ran"));
        Finished notListening = relay.run(dead, shell("echo ran"));

        assertThat(List.of(missing.exitCode(), notListening.exitCode())).containsOnly(125);
        assertThat(missing.errors())
                .isEqualTo("relay: the network gateway's socket "
                        + gates.folder().resolve("absent.sock") + " is missing (ENOENT)\n");
        assertThat(notListening.errors())
                .isEqualTo("relay: cannot reach the network gateway at " + dead + " (ECONNREFUSED)\n");
        assertThat(missing.output() + notListening.output()).isEmpty();
    }
}
