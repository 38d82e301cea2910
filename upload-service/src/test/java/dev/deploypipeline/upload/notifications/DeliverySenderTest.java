package dev.deploypipeline.upload.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.network.HostResolver;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The address policy at send time, with a resolver the test controls: a name that resolves to a private or metadata
 * address, or that changes its answer after the target was added (DNS rebinding), is never connected to.
 */
class DeliverySenderTest {

    private final Receiver receiver = new Receiver();
    private final List<DeliverySender> senders = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (DeliverySender sender : senders) {
            sender.close();
        }
        receiver.close();
    }

    @Test
    void aNameThatResolvesToAMetadataAddressIsRefusedWithoutAConnection() throws Exception {
        DeliverySender sender = sender(host -> List.of(InetAddress.getByName("169.254.169.254")));

        SentResponse answer = sender.send(message("https://hooks.example.test/deploys"));

        assertThat(answer.delivered()).isFalse();
        assertThat(answer.status()).isZero();
        assertThat(answer.error()).contains("refused", "169.254.169.254", "link-local");
    }

    @Test
    void aNameRebindToLoopbackAfterItsCheckIsNotConnectedTo() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        HostResolver rebinding = host -> List.of(
                lookups.getAndIncrement() == 0
                        ? InetAddress.getByName("93.184.215.14")
                        : InetAddress.getByName("127.0.0.1"));
        NotifySettings settings = settings();
        NotificationAddresses addresses = new NotificationAddresses(settings, rebinding);
        URI checked = addresses.check("https://rebind.example.test:" + receiver.port() + "/hook", "url");
        DeliverySender sender = track(new DeliverySender(addresses, settings));

        SentResponse answer = sender.send(message(checked.toString()));

        assertThat(answer.delivered()).isFalse();
        assertThat(answer.error()).contains("refused", "127.0.0.1", "loopback");
        assertThat(receiver.startingWith("/")).isEmpty();
    }

    @Test
    void plainHttpToAHostNotAllowedIsRefused() throws Exception {
        DeliverySender sender = sender(host -> List.of(InetAddress.getByName("93.184.215.14")));

        SentResponse answer = sender.send(message("http://example.test/hook"));

        assertThat(answer.error()).contains("plain http");
    }

    private DeliverySender sender(HostResolver resolver) {
        NotifySettings settings = settings();
        return track(new DeliverySender(new NotificationAddresses(settings, resolver), settings));
    }

    private DeliverySender track(DeliverySender sender) {
        senders.add(sender);
        return sender;
    }

    private static NotifySettings settings() {
        return NotifySettingsTest.settings(Duration.ofSeconds(2), Duration.ofSeconds(1), 5, 100);
    }

    private static OutgoingMessage message(String url) {
        return new OutgoingMessage(URI.create(url), Map.of("Content-Type", "application/json"), "{}");
    }
}
