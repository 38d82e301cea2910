package dev.deploypipeline.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link S3ObjectStorage} puts on the wire, seen by a stand-in S3 server on loopback that answers every PUT with
 * {@code 200} and keeps its headers.
 */
class S3RequestHeadersTest {

    private final Map<String, Headers> headersByKey = new ConcurrentHashMap<>();
    private HttpServer server;
    private S3ObjectStorage storage;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange;
                    InputStream body = exchange.getRequestBody()) {
                body.transferTo(OutputStream.nullOutputStream());
                headersByKey.put(exchange.getRequestURI().getPath(), exchange.getRequestHeaders());
                exchange.getResponseHeaders().add("ETag", "\"0\"");
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        storage = new S3ObjectStorage(new S3Settings(endpoint, "headers", "us-east-1", 2));
    }

    @AfterEach
    void stop() {
        storage.close();
        server.stop(0);
    }

    @Test
    void aSmallBodyIsSentAtOnceAndALargeOneWaitsForTheServersGoAhead() {
        int small = 4096;
        int large = (int) S3ObjectStorage.EXPECT_CONTINUE_FROM;

        storage.putAll(List.of(upload("small.bin", small), upload("large.bin", large)));

        assertThat(header("/headers/small.bin", "Expect")).isNull();
        assertThat(header("/headers/large.bin", "Expect")).isEqualTo("100-continue");
        assertThat(header("/headers/small.bin", "Content-Length")).isEqualTo(Integer.toString(small));
    }

    private String header(String path, String name) {
        Headers headers = headersByKey.get(path);
        assertThat(headers).as("a PUT of " + path).isNotNull();
        return headers.getFirst(name);
    }

    private static ObjectUpload upload(String key, int length) {
        byte[] bytes = new byte[length];
        return new ObjectUpload(key, length, "application/octet-stream", () -> new ByteArrayInputStream(bytes));
    }
}
