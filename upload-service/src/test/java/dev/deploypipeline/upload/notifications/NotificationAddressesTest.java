package dev.deploypipeline.upload.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploypipeline.upload.problems.InvalidRequestException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks a notification target's URL passes when it is added, with a fixed answer for its host's name. */
class NotificationAddressesTest {

    private static final InetAddress PUBLIC = address(93, 184, 216, 34);

    private final NotificationAddresses addresses = new NotificationAddresses(
            NotifySettingsTest.settings(Duration.ofSeconds(10), Duration.ofSeconds(10), 5, 100),
            host -> List.of(PUBLIC));

    @Test
    void aPublicHostOnAPortOfItsOwnIsAccepted() {
        assertThat(addresses.check("https://hooks.example.com:8443/deploys", "url"))
                .hasPort(8443);
    }

    @Test
    void aPortNoConnectionCanUseIsRefusedWhenTheTargetIsAdded() {
        for (String url : List.of("https://hooks.example.com:99999/", "https://hooks.example.com:0/")) {
            assertThatThrownBy(() -> addresses.check(url, "url"))
                    .as(url)
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("is not a TCP port");
        }
    }

    private static InetAddress address(int... octets) {
        byte[] bytes = new byte[octets.length];
        for (int i = 0; i < octets.length; i++) {
            bytes[i] = (byte) octets[i];
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
