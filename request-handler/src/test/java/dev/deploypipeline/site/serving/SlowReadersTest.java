package dev.deploypipeline.site.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.site.Pipeline;
import dev.deploypipeline.site.RunningHandler;
import dev.deploypipeline.site.SiteFile;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Clients that open a large file and never read it hold a serving thread each, and nothing any other site
 * needs: with {@code S3_PARALLELISM=2}, the four S3 connections the other services would keep.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "s3.parallelism=2")
class SlowReadersTest extends RunningHandler {

    private static final int TRANSFER_CONNECTIONS = 2 * 2;
    private static final int LARGE = 32 * 1024 * 1024;

    private static DeploymentId video;
    private static DeploymentId other;

    private final List<Socket> slowReaders = new ArrayList<>();

    @BeforeAll
    static void deploy() {
        video = Pipeline.shared().deployed(List.of(new SiteFile("film.mp4", "video/mp4", new byte[LARGE])));
        other = Pipeline.shared().deployed(List.of(SiteFile.html("index.html", "<h1>still here</h1>")));
    }

    @AfterEach
    void closeSlowReaders() throws IOException {
        for (Socket socket : slowReaders) {
            socket.close();
        }
    }

    @Test
    void clientsThatNeverReadALargeFileDoNotKeepOtherSitesWaiting() throws IOException {
        for (int i = 0; i < TRANSFER_CONNECTIONS; i++) {
            startReadingSlowly(video + ".localhost", "/film.mp4");
        }

        HttpResponse<byte[]> response =
                assertTimeoutPreemptively(Duration.ofSeconds(5), () -> client.get(other + ".localhost", "/index.html"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("<h1>still here</h1>");
    }

    /** Asks for the file and reads no more than its status line: the body is being sent when this returns. */
    private void startReadingSlowly(String host, String path) throws IOException {
        Socket socket = new Socket();
        slowReaders.add(socket);
        socket.setReceiveBufferSize(4 * 1024);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port()), 5_000);
        socket.setSoTimeout(5_000);
        socket.getOutputStream()
                .write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = socket.getInputStream();
        byte[] status = in.readNBytes("HTTP/1.1 200".length());
        assertThat(new String(status, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");
    }
}
