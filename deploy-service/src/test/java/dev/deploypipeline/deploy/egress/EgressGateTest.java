package dev.deploypipeline.deploy.egress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.deploy.egress.GateClient.Response;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What goes through a gateway and what is refused, from a client of its socket to servers on 127.0.0.1. */
@Timeout(30)
class EgressGateTest {

    @RegisterExtension
    final TestGates gates = new TestGates();

    @RegisterExtension
    final OriginServer origin = new OriginServer();

    @RegisterExtension
    final OriginServer notAllowed = new OriginServer();

    @Test
    void connectToAnAllowlistedLoopbackServerTunnelsItsResponse() throws IOException {
        Gateway gateway = gates.open(origin.authority());

        try (GateClient client = GateClient.connect(gateway.socket())) {
            Response opened = client.connectTo(origin.authority()).response();
            Response response = client.send(get("/through-the-tunnel")).response();

            assertThat(opened.status()).isEqualTo(200);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello from /through-the-tunnel");
        }
        assertThat(gates.refusals).isEmpty();
        assertThat(gates.dialer.attempts()).containsExactly(origin.authority());
    }

    @Test
    void bytesSentRightAfterTheConnectHeadGoThroughTheTunnel() throws IOException {
        Gateway gateway = gates.open(origin.authority());

        try (GateClient client = GateClient.connect(gateway.socket())) {
            client.send("CONNECT " + origin.authority() + " HTTP/1.1\r\n\r\n" + get("/eager"));

            assertThat(client.response().status()).isEqualTo(200);
            assertThat(client.response().body()).isEqualTo("hello from /eager");
        }
    }

    @Test
    void connectToALoopbackPortNotOnTheAllowlistIsRefusedAndReported() throws IOException {
        Gateway gateway = gates.open(origin.authority());

        Response response =
                GateClient.connectEach(gateway.socket(), notAllowed.authority()).get(0);

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body())
                .isEqualTo("refused a connection to " + notAllowed.authority()
                        + ": host 127.0.0.1 is a loopback address\n");
        assertThat(gates.refusals)
                .containsExactly("[network] refused a connection to " + notAllowed.authority()
                        + ": host 127.0.0.1 is a loopback address");
        assertThat(notAllowed.received()).isEmpty();
        assertThat(gates.dialer.attempts()).isEmpty();
    }

    @Test
    void metadataAndPrivateAddressesAreRefusedByThePolicyBeforeAnyConnection() throws IOException {
        Gateway gateway = gates.open(origin.authority());

        List<Response> tunnels = GateClient.connectEach(gateway.socket(), "169.254.169.254:80", "10.0.0.1:443");
        Response plainMetadata = GateClient.ask(gateway.socket(), get("http://169.254.169.254/latest/meta-data/"));

        assertThat(tunnels).extracting(Response::status).containsOnly(403);
        assertThat(plainMetadata.status()).isEqualTo(403);
        assertThat(gates.refusals)
                .containsExactly(
                        "[network] refused a connection to 169.254.169.254:80: host 169.254.169.254 is a link-local"
                                + " (cloud metadata) address",
                        "[network] refused a connection to 10.0.0.1:443: host 10.0.0.1 is a private address",
                        "[network] refused a connection to 169.254.169.254:80: host 169.254.169.254 is a link-local"
                                + " (cloud metadata) address");
        assertThat(gates.dialer.attempts()).isEmpty();
    }

    @Test
    void thePipelinesOwnRedisIsRefusedByNameAndByAddressEvenWhenAllowlisted() throws IOException {
        gates.resolver.answer("redis.pipeline", "127.0.0.1").answer("alias.test", "127.0.0.1");
        int redisPort = notAllowed.port();
        Gateway gateway = gates.open(
                TestGates.SETTINGS,
                List.of("redis.pipeline", "alias.test", "127.0.0.1"),
                List.of("redis.pipeline:" + redisPort));

        List<Response> refused = GateClient.connectEach(
                gateway.socket(), "redis.pipeline:" + redisPort, "127.0.0.1:" + redisPort, "alias.test:" + redisPort);
        Response otherPort = GateClient.ask(gateway.socket(), get("http://127.0.0.1:" + origin.port() + "/fine"));

        assertThat(refused).extracting(Response::status).containsOnly(403);
        assertThat(otherPort.body()).isEqualTo("hello from /fine");
        assertThat(gates.refusals)
                .containsExactly(
                        "[network] refused a connection to redis.pipeline:" + redisPort + ": redis.pipeline:"
                                + redisPort + " is one of the pipeline's own services",
                        "[network] refused a connection to 127.0.0.1:" + redisPort + ": 127.0.0.1:" + redisPort
                                + " is one of the pipeline's own services",
                        "[network] refused a connection to alias.test:" + redisPort + ": host alias.test resolves to"
                                + " 127.0.0.1, and 127.0.0.1:" + redisPort + " is one of the pipeline's own services");
        assertThat(notAllowed.received()).isEmpty();
        assertThat(gates.dialer.attempts()).containsExactly(origin.authority());
    }

    @Test
    void plainHttpIsPassedOnInOriginFormWithoutProxyHeadersAndWithConnectionClose() throws IOException {
        Gateway gateway = gates.open(origin.authority());

        Response response = GateClient.ask(
                gateway.socket(),
                "GET http://user:secret@" + origin.authority()
                        + "/page?x=1 HTTP/1.1\r\nHost: elsewhere\r\nProxy-Connection: keep-alive\r\n"
                        + "Proxy-Authorization: Basic c2VjcmV0\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\n"
                        + "User-Agent: test\r\n\r\n");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello from /page");
        OriginServer.Received received = origin.received().get(0);
        assertThat(received.target()).isEqualTo("/page?x=1");
        assertThat(received.headers().getFirst("Host")).isEqualTo(origin.authority());
        assertThat(received.headers().getFirst("Connection")).isEqualTo("close");
        assertThat(received.headers().getFirst("User-Agent")).isEqualTo("test");
        assertThat(received.headers().keySet())
                .noneMatch(name -> name.toLowerCase().startsWith("proxy-"))
                .doesNotContain("X-hop");
    }

    @Test
    void plainHttpToAServerNotOnTheAllowlistIsRefusedAndReported() throws IOException {
        Gateway gateway = gates.open(origin.authority());

        Response response = GateClient.ask(gateway.socket(), get("http://" + notAllowed.authority() + "/"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(gates.refusals)
                .containsExactly("[network] refused a connection to " + notAllowed.authority()
                        + ": host 127.0.0.1 is a loopback address");
        assertThat(notAllowed.received()).isEmpty();
    }

    @Test
    void aRebindingHostIsResolvedOnceAndOnlyItsCheckedAnswerIsConnectedTo() throws IOException {
        // Public when checked, loopback when asked again: a second lookup would reach this machine.
        gates.resolver.answer("rebind.test", "93.184.215.14").answer("rebind.test", "127.0.0.1");
        Gateway gateway = gates.open(origin.authority());

        Response response = GateClient.connectEach(gateway.socket(), "rebind.test:" + origin.port())
                .get(0);

        assertThat(gates.resolver.lookups("rebind.test")).isEqualTo(1);
        assertThat(gates.dialer.attempts()).containsExactly("93.184.215.14:" + origin.port());
        assertThat(response.status()).isEqualTo(502); // the test dialer connects to loopback only
        assertThat(origin.received()).isEmpty();
    }

    @Test
    void portsOutsideOneTo65535AreRefused() throws IOException {
        Gateway gateway = gates.open("127.0.0.1");

        List<Response> responses = GateClient.connectEach(gateway.socket(), "127.0.0.1:0", "127.0.0.1:70000");

        assertThat(responses).extracting(Response::status).containsOnly(403);
        assertThat(gates.refusals)
                .containsExactly(
                        "[network] refused a connection to 127.0.0.1:0: port 0 is not a port a connection can be made to",
                        "[network] refused a connection to 127.0.0.1:70000: port 70000 is not a port a connection can be"
                                + " made to");
        assertThat(gates.dialer.attempts()).isEmpty();
    }

    @Test
    void aHostWithNoAddressIsAnsweredBadGatewayWithTheReason() throws IOException {
        Gateway gateway = gates.open("allowed.test");

        List<Response> responses = GateClient.connectEach(gateway.socket(), "nowhere.test:443", "allowed.test:443");

        assertThat(responses).extracting(Response::status).containsOnly(502);
        assertThat(responses)
                .extracting(Response::body)
                .containsExactly(
                        "host nowhere.test could not be resolved\n", "host allowed.test could not be resolved\n");
        assertThat(gates.refusals).isEmpty();
    }

    static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: origin\r\nConnection: close\r\n\r\n";
    }
}
