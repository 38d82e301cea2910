package dev.deploypipeline.network;

import java.time.Duration;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.conn.DnsResolver;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.client.HttpClients;

/**
 * HTTP clients for connections to hosts a stranger named (a git server, a notification's receiver). Hosts are
 * resolved by {@code resolver} alone, so the address connected to is the address the policy checked. The
 * clients follow no redirects (the caller checks each hop itself), retry nothing, and keep no cookies or
 * credentials. They leave bodies compressed, so the bytes counted are the bytes received. One timeout bounds the
 * connect, each read and the wait for a pooled connection.
 */
public final class PinnedHttpClients {

    private PinnedHttpClients() {}

    /** A builder with all of that set, for the caller to add what is its own (a user agent) and build. */
    public static HttpClientBuilder builder(DnsResolver resolver, int connections, Duration timeout) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        return HttpClients.custom()
                .setDnsResolver(resolver)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .setMaxConnPerRoute(connections)
                .setMaxConnTotal(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectTimeout(millis)
                        .setSocketTimeout(millis)
                        .setConnectionRequestTimeout(millis)
                        .setRedirectsEnabled(false)
                        .build());
    }
}
