package dev.deploypipeline.deploy.egress;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/** Opens a TCP connection to one checked address; tests stand in for it where no connection may be made. */
@FunctionalInterface
interface Dialer {

    Dialer TCP = (address, timeout) -> {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().connect(address, Math.toIntExact(timeout.toMillis()));
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    };

    /** A connected, blocking channel. */
    SocketChannel connect(InetSocketAddress address, Duration timeout) throws IOException;
}
