package dev.deploypipeline.site.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.site.Pipeline;
import dev.deploypipeline.site.RunningHandler;
import dev.deploypipeline.site.SiteFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the handler refuses at once: a write, before reading its body; the actuator, on every host under the sites'
 * domain; a path too long to be an S3 key, before asking S3.
 */
class RefusedRequestsTest extends RunningHandler {

    private static DeploymentId site;

    @BeforeAll
    static void deploy() {
        site = Pipeline.shared().deployed(List.of(SiteFile.html("index.html", "home")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE"})
    void writeWithAnEndlessFormBodyGets405AtOnceWithoutTheBodyBeingRead(String method) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " / HTTP/1.1\r\nHost: " + site + ".localhost\r\n"
                            + "Content-Type: application/x-www-form-urlencoded\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n"
                            + "400\r\n" + "a=".repeat(512) + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();

            // The body never ends: only a handler that does not read it can answer within the timeout.
            String statusLine = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1))
                    .readLine();

            assertThat(statusLine).startsWith("HTTP/1.1 405");
        }
    }

    static List<String> hostsUnderTheSitesDomainThatNameNoSite() {
        return List.of("a".repeat(64) + ".localhost", "x.y.localhost", "X.Y.LocalHost.", "x.y.localhost:3001");
    }

    @ParameterizedTest
    @MethodSource("hostsUnderTheSitesDomainThatNameNoSite")
    void hostsUnderTheSitesDomainThatNameNoSiteNeverReachTheActuator(String host) {
        for (String path : List.of("/actuator/prometheus", "/actuator/health", "/actuator")) {
            HttpResponse<byte[]> response = client.get(host, path);

            assertThat(response.statusCode()).as(host + path).isEqualTo(404);
            assertThat(text(response)).as(host + path).contains("no site at this address");
        }
    }

    @Test
    void theBareDomainStillAnswersHealth() {
        HttpResponse<byte[]> health = client.get("localhost", "/actuator/health");

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(text(health)).contains("UP");
    }

    static List<String> pathsTooLongForAnS3Key() {
        return List.of(
                // dist/{id}/ and the file: 1032 bytes
                "/" + "a".repeat(1010),
                // dist/{id}/ and the folder's index.html: 1033 bytes
                "/" + "a".repeat(1000) + "/",
                // 502 characters, 1004 bytes in UTF-8: 1026 with dist/{id}/
                "/" + "%C3%A9".repeat(502));
    }

    @ParameterizedTest
    @MethodSource("pathsTooLongForAnS3Key")
    void pathTooLongForAnS3KeyGets414(String target) {
        HttpResponse<byte[]> response = client.get(site + ".localhost", target);

        assertThat(response.statusCode()).isEqualTo(414);
        assertThat(text(response)).contains("too long");
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
