package dev.deploypipeline.site;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Requests to the handler on 127.0.0.1 with the {@code Host} a browser would send for
 * {@code http://{host}/}: the JDK client for ordinary requests (its restricted {@code Host} header is
 * allowed by the surefire configuration), a plain socket for targets the JDK client would refuse or tidy up.
 */
public final class SiteClient {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final int port;

    public SiteClient(int port) {
        this.port = port;
    }

    public HttpResponse<byte[]> get(String host, String path, String... headers) {
        return send("GET", host, path, headers);
    }

    public HttpResponse<byte[]> head(String host, String path, String... headers) {
        return send("HEAD", host, path, headers);
    }

    public HttpResponse<byte[]> send(String method, String host, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .header("Host", host)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String text(String host, String path) {
        return new String(get(host, path).body(), StandardCharsets.UTF_8);
    }

    /** Sends the request target exactly as given and answers the whole response, head and body, as text. */
    public RawResponse raw(String host, String target) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
            return new RawResponse(status, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public record RawResponse(int status, String text) {}
}
