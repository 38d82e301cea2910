package dev.deploypipeline.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Opens sites on the request-handler the way a browser opens {@code http://{host}:3001/}: the request goes
 * to 127.0.0.1 with that {@code Host} (allowed for the JDK client by the surefire configuration).
 */
final class Browser {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final String baseUrl;

    Browser(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    String baseUrl() {
        return baseUrl;
    }

    HttpResponse<String> open(String host, String path) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(baseUrl + path))
                            .header("Host", host)
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("the request-handler did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
