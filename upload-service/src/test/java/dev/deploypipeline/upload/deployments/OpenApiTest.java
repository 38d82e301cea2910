package dev.deploypipeline.upload.deployments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API as a laptop runs it, with no token at all: open to whoever reaches it, so it listens on loopback only
 * and answers only to the loopback names, which a web page that rebinds its DNS name to 127.0.0.1 does not send.
 */
class OpenApiTest extends RunningService {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebServerApplicationContext context;

    @Test
    void everyCallIsOpenWithoutAToken() throws Exception {
        HttpResponse<String> project = postJson("/projects", """
                {"name": "laptop", "repoUrl": "http://%s/site.git"}""".formatted(NO_GIT_SERVER));

        assertThat(project.statusCode()).as(project.body()).isEqualTo(201);
        assertThat(get("/projects/laptop").statusCode()).isEqualTo(200);
        assertThat(get("/deployments").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void tokensAreRefusedWhileNoneIsConfiguredSoNobodyBelievesTheApiIsClosed() throws Exception {
        HttpResponse<String> response = postJson("/tokens", "{\"name\": \"ci\", \"scope\": \"deploy\"}");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(response.body()).get("detail").asString()).contains("API_TOKEN");
        assertThat(SERVERS.connector().shared().sync().exists("tokens")).isZero();
    }

    @Test
    void aRequestNamingAnotherHostIsRefusedBeforeAnythingRuns() throws Exception {
        for (String host :
                new String[] {"evil.example", "evil.example:" + port, "localhost.evil.example", "127.0.0.1.nip.io"}) {
            HttpResponse<String> deploy = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(uri("/deploy"))
                                    .header("Host", host)
                                    .header("X-Forwarded-Host", "localhost")
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"repoUrl\": \"http://" + NO_GIT_SERVER + "/x.git\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> health = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(uri("/actuator/health"))
                                    .header("Host", host)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(deploy.statusCode()).as(host).isEqualTo(421);
            assertThat(deploy.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(JSON.readTree(deploy.body()).get("detail").asString()).contains("API_ALLOWED_HOSTS");
            assertThat(health.statusCode()).as(host).isEqualTo(421);
        }
        assertThat(SERVERS.connector().shared().sync().hlen("status")).isZero();
    }

    @Test
    void theLoopbackNamesAreAnsweredInAnyCaseAndOnAnyPort() throws Exception {
        for (String host : new String[] {"localhost", "LocalHost:" + port, "127.0.0.1:" + port, "[::1]:" + port}) {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(uri("/deployments"))
                                    .header("Host", host)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(host).isEqualTo(200);
        }
    }

    @Test
    void itListensOnLoopbackOnly() {
        InetAddress bound = (InetAddress) ((TomcatWebServer) context.getWebServer())
                .getTomcat()
                .getConnector()
                .getProperty("address");

        assertThat(bound.isLoopbackAddress()).as("bound to %s", bound).isTrue();
        otherAddressOfThisMachine()
                .ifPresent(other -> assertThatThrownBy(() -> {
                            try (Socket socket = new Socket()) {
                                socket.connect(new InetSocketAddress(other, port), 2000);
                            }
                        })
                        .as("connecting to %s:%d", other, port)
                        .isInstanceOf(ConnectException.class));
    }

    private static Optional<InetAddress> otherAddressOfThisMachine() {
        try {
            return NetworkInterface.networkInterfaces()
                    .filter(OpenApiTest::isUp)
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                    .findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }

    private static boolean isUp(NetworkInterface network) {
        try {
            return network.isUp() && !network.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }
}
