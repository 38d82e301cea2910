package dev.deploypipeline.deploy.egress;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Connects to a destination the check allows, trying each of its checked addresses in turn. */
final class UpstreamConnector {

    private final DestinationCheck check;
    private final Dialer dialer;
    private final Duration connectTimeout;

    UpstreamConnector(DestinationCheck check, Dialer dialer, Duration connectTimeout) {
        this.check = check;
        this.dialer = dialer;
        this.connectTimeout = connectTimeout;
    }

    /**
     * @throws dev.deploypipeline.network.RefusedHostException when the destination is refused
     * @throws java.net.UnknownHostException when it has no address
     * @throws ConnectException when none of its addresses took the connection
     */
    SocketChannel connect(Destination destination) throws IOException {
        List<InetAddress> addresses = check.addressesFor(destination);
        List<String> failures = new ArrayList<>();
        for (InetAddress address : addresses) {
            try {
                return dialer.connect(new InetSocketAddress(address, destination.port()), connectTimeout);
            } catch (ClosedByInterruptException e) {
                throw e; // the gateway is closing
            } catch (IOException e) {
                failures.add(address.getHostAddress() + " (" + e.getMessage() + ")");
            }
        }
        throw new ConnectException("could not connect to " + destination + " at " + String.join(", ", failures));
    }
}
