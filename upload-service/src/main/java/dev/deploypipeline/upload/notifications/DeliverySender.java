package dev.deploypipeline.upload.notifications;

import dev.deploypipeline.network.PinnedHttpClients;
import dev.deploypipeline.network.RefusedHostException;
import dev.deploypipeline.threads.NamedThreads;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.conn.DnsResolver;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.springframework.stereotype.Component;

/**
 * Sends one notice and reads what came back, within {@code NOTIFY_TIMEOUT} whatever the receiver does: a send is
 * aborted at its deadline, only the first kilobyte of an answer is read, and redirects are not followed. A host of
 * {@code NOTIFY_ALLOWED_HOSTS} goes through the {@code allowed} client; any other through the {@code checked} one,
 * which resolves names only to public addresses and connects to exactly those, so DNS rebinding gains nothing.
 */
@Component
class DeliverySender implements AutoCloseable {

    static final int BODY_KEPT = 1024;

    private final NotificationAddresses addresses;
    private final Duration timeout;
    private final CloseableHttpClient checked;
    private final CloseableHttpClient allowed;
    private final ScheduledExecutorService deadlines = NamedThreads.scheduler("notify-deadlines");

    DeliverySender(NotificationAddresses addresses, NotifySettings settings) {
        this.addresses = addresses;
        this.timeout = settings.timeout();
        // Each sender holds one connection at a time, whatever the host: many targets may share one (Slack's).
        int connections = settings.workers();
        this.checked = client(host -> addresses.resolvePublic(host).toArray(InetAddress[]::new), connections);
        this.allowed = client(host -> addresses.resolveAllowed(host).toArray(InetAddress[]::new), connections);
    }

    private CloseableHttpClient client(DnsResolver resolver, int connections) {
        return PinnedHttpClients.builder(resolver, connections, timeout)
                .setUserAgent("deploy-pipeline-notifications")
                .build();
    }

    /** Posts the message; never throws for anything the receiver or the network does. */
    SentResponse send(OutgoingMessage message) {
        boolean allowedHost;
        try {
            allowedHost = addresses.checkConnection(message.url());
        } catch (RefusedHostException e) {
            return SentResponse.failed("refused: " + e.getMessage());
        }
        HttpPost post = new HttpPost(message.url());
        message.headers().forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(message.body().getBytes(StandardCharsets.UTF_8)));
        ScheduledFuture<?> deadline = deadlines.schedule(post::abort, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try (CloseableHttpResponse response = (allowedHost ? allowed : checked).execute(post)) {
            int status = response.getStatusLine().getStatusCode();
            String body = start(response.getEntity());
            post.abort(); // the rest of the answer is never read: closing the stream normally would drain it
            String error = status >= 300 && status < 400
                    ? "answered a redirect (" + status + "), which is not followed"
                    : null;
            Header retryAfter = response.getFirstHeader("retry-after");
            Header remaining = response.getFirstHeader("x-ratelimit-remaining");
            boolean rateLimited = retryAfter != null
                    || (remaining != null && remaining.getValue().strip().equals("0"));
            return new SentResponse(status, body, error, rateLimited, seconds(retryAfter));
        } catch (RefusedHostException e) {
            return SentResponse.failed("refused: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            boolean timedOut = post.isAborted() || e instanceof SocketTimeoutException;
            return SentResponse.failed(
                    timedOut ? "no answer within " + timeout.toSeconds() + "s (NOTIFY_TIMEOUT)" : reason(e));
        } finally {
            deadline.cancel(false);
        }
    }

    /** The first kilobyte of the answer; the rest is never read (the send is aborted, dropping the connection). */
    private static String start(HttpEntity entity) throws IOException {
        if (entity == null) {
            return "";
        }
        try {
            InputStream in = entity.getContent(); // not closed: that would read to its end; the send is aborted
            byte[] bytes = in.readNBytes(BODY_KEPT);
            return new String(bytes, StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}&&[^\\n\\t]]", "");
        } catch (IOException e) {
            return "(the answer's body could not be read in time)";
        }
    }

    /** A {@code retry-after} in seconds; its other form, a date, is not read (the backoff's pause holds then). */
    private static Duration seconds(Header retryAfter) {
        if (retryAfter == null || !retryAfter.getValue().strip().matches("\\d{1,9}")) {
            return null;
        }
        return Duration.ofSeconds(Long.parseLong(retryAfter.getValue().strip()));
    }

    private static String reason(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    @Override
    public void close() throws IOException {
        deadlines.shutdownNow();
        checked.close();
        allowed.close();
    }
}
