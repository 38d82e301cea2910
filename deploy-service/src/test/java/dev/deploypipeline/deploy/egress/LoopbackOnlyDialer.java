package dev.deploypipeline.deploy.egress;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Connects as the gate does, but to loopback addresses only, and keeps every address it was asked for: tests
 * see where the gate tried to go, and never send a packet off this machine, whatever the gate does.
 */
final class LoopbackOnlyDialer implements Dialer {

    private final List<InetSocketAddress> attempts = new CopyOnWriteArrayList<>();

    @Override
    public SocketChannel connect(InetSocketAddress address, Duration timeout) throws IOException {
        attempts.add(address);
        if (!address.getAddress().isLoopbackAddress()) {
            throw new ConnectException("tests connect to loopback addresses only");
        }
        return Dialer.TCP.connect(address, timeout);
    }

    /** Each address asked for, as {@code address:port}. */
    List<String> attempts() {
        return attempts.stream()
                .map(address -> address.getAddress().getHostAddress() + ":" + address.getPort())
                .toList();
    }
}
