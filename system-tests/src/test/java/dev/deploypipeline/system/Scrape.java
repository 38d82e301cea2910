package dev.deploypipeline.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One answer of {@code /actuator/prometheus}, in Prometheus's text format: its samples, each line
 * {@code name{labels} value}, and the names of the series they belong to.
 */
record Scrape(int status, List<String> samples) {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Scrapes {@code baseUrl}'s endpoint, as Prometheus does: with {@code token} as bearer when not null. */
    static Scrape of(String baseUrl, String token) {
        return of(baseUrl, token, null);
    }

    /** The same, with {@code host} as the {@code Host} header when not null: a pod's address, say. */
    static Scrape of(String baseUrl, String token, String host) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus"))
                .header("Accept", "text/plain;version=0.0.4")
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (host != null) {
            request.header("Host", host);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            List<String> samples = response.body()
                    .lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .toList();
            return new Scrape(response.statusCode(), samples);
        } catch (IOException e) {
            throw new IllegalStateException(baseUrl + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The names of every sample: {@code deploy_build_phase_seconds_bucket}, {@code site_requests_total}… */
    Set<String> names() {
        return samples.stream().map(Scrape::nameOf).collect(Collectors.toSet());
    }

    /** The samples of series {@code name} whose labels contain each of {@code labels} ({@code phase="fetch"}). */
    List<String> series(String name, String... labels) {
        return samples.stream()
                .filter(sample -> nameOf(sample).equals(name))
                .filter(sample -> List.of(labels).stream().allMatch(sample::contains))
                .toList();
    }

    private static String nameOf(String sample) {
        int end = 0;
        while (end < sample.length() && sample.charAt(end) != '{' && sample.charAt(end) != ' ') {
            end++;
        }
        return sample.substring(0, end);
    }
}
