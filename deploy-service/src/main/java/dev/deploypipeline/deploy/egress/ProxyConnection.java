package dev.deploypipeline.deploy.egress;

import dev.deploypipeline.network.RefusedHostException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.unit.DataSize;

/**
 * One client connection of a gateway: its request head is read, its destination checked and connected, then
 * bytes are spliced both ways until both sides have closed (either may close its sending half first). The
 * gateway's timer calls {@link #expireIfDue} to end a head sent too slowly or a tunnel left idle.
 */
final class ProxyConnection {

    private static final Logger log = LoggerFactory.getLogger(ProxyConnection.class);
    private static final DataSize SPLICE_BUFFER = DataSize.ofKilobytes(16);

    private enum Phase {
        HEAD,
        HEAD_EXPIRED,
        CONNECTING,
        TUNNEL
    }

    private final SocketChannel client;
    private final UpstreamConnector connector;
    private final Refusals refusals;
    private final EgressSettings settings;
    private final Executor workers;
    private final Consumer<ProxyConnection> onEnd;
    private final long acceptedAt = System.nanoTime();
    private final AtomicInteger running = new AtomicInteger(1);
    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.HEAD);
    private volatile long lastActivity = acceptedAt;
    private volatile boolean closed;
    private volatile SocketChannel upstream;

    ProxyConnection(
            SocketChannel client,
            UpstreamConnector connector,
            Refusals refusals,
            EgressSettings settings,
            Executor workers,
            Consumer<ProxyConnection> onEnd) {
        this.client = client;
        this.connector = connector;
        this.refusals = refusals;
        this.settings = settings;
        this.workers = workers;
        this.onEnd = onEnd;
    }

    /** Serves the connection on the calling thread, which then carries the client's bytes upstream. */
    void run() {
        try {
            Optional<ProxyRequest> request = readRequest();
            if (request.isPresent() && connect(request.get())) {
                splice(client, upstream);
            }
        } catch (IOException e) {
            log.debug("A gateway connection ended: {}", e.toString());
            close();
        } finally {
            ended();
        }
    }

    private Optional<ProxyRequest> readRequest() throws IOException {
        try {
            Optional<RequestHeadReader.ReceivedHead> head = RequestHeadReader.read(client, settings.maxRequestHead());
            boolean inTime = phase.compareAndSet(Phase.HEAD, Phase.CONNECTING);
            if (head.isEmpty() && inTime) {
                return Optional.empty(); // gone before asking anything
            }
            if (!inTime) {
                throw new MalformedRequestException("the request head was not sent in time");
            }
            return Optional.of(ProxyRequest.of(RequestHead.parse(head.get().text()))
                    .followedBy(head.get().rest()));
        } catch (MalformedRequestException e) {
            answer(
                    Answer.BAD_REQUEST,
                    phase.get() == Phase.HEAD_EXPIRED
                            ? "the request head was not sent within "
                                    + settings.requestHeadTimeout().toMillis() + " ms"
                            : e.getMessage());
            return Optional.empty();
        }
    }

    /** Whether the tunnel is open, the client told and the first bytes sent; otherwise the client was answered. */
    private boolean connect(ProxyRequest request) throws IOException {
        Destination destination = request.destination();
        try {
            upstream = connector.connect(destination);
        } catch (RefusedHostException e) {
            refusals.report(destination, e.getMessage());
            answer(Answer.FORBIDDEN, "refused a connection to " + destination + ": " + e.getMessage());
            return false;
        } catch (IOException e) { // the host has no address, or none of them took the connection
            answer(Answer.BAD_GATEWAY, closed ? "the network gateway closed" : e.getMessage());
            return false;
        }
        if (closed) {
            close(); // closed while connecting, after close() looked at upstream
            return false;
        }
        if (request.tunnel()) {
            writeFully(client, Answer.CONNECTION_ESTABLISHED.bytes());
        }
        writeFully(upstream, request.preamble());
        startTunnel();
        return true;
    }

    private void startTunnel() {
        lastActivity = System.nanoTime();
        phase.set(Phase.TUNNEL);
        running.incrementAndGet();
        try {
            workers.execute(() -> {
                try {
                    splice(upstream, client);
                } finally {
                    ended();
                }
            });
        } catch (RejectedExecutionException e) {
            running.decrementAndGet();
            close(); // the gateway is closing
        }
    }

    /** Copies one way until the source ends, then ends that way only; a failure ends both. */
    private void splice(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(SPLICE_BUFFER.toBytes()));
        try {
            while (from.read(buffer) >= 0) {
                lastActivity = System.nanoTime();
                buffer.flip();
                writeFully(to, buffer);
                lastActivity = System.nanoTime(); // a slow reader on the other side is not an idle one
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            log.debug("A gateway tunnel broke: {}", e.toString());
            close();
        }
    }

    /** Ends a head that took too long (the reader then answers 400) or a tunnel idle for too long. */
    void expireIfDue(long now) {
        if (now - acceptedAt > settings.requestHeadTimeout().toNanos()
                && phase.compareAndSet(Phase.HEAD, Phase.HEAD_EXPIRED)) {
            try {
                client.shutdownInput(); // the reader sees the end, and answers 400
            } catch (IOException e) {
                close();
            }
        } else if (phase.get() == Phase.TUNNEL
                && now - lastActivity > settings.idleTimeout().toNanos()) {
            log.debug("Closing a gateway tunnel idle for {}", settings.idleTimeout());
            close();
        }
    }

    void close() {
        closed = true;
        closeQuietly(client);
        SocketChannel connected = upstream;
        if (connected != null) {
            closeQuietly(connected);
        }
    }

    private void ended() {
        if (running.decrementAndGet() == 0) {
            close();
            onEnd.accept(this);
        }
    }

    private void answer(Answer answer, String explanation) {
        try {
            writeFully(client, answer.bytes(explanation));
            client.shutdownOutput();
        } catch (IOException e) {
            log.debug("Could not answer {} to a gateway client: {}", answer, e.toString());
        }
    }

    private static void writeFully(SocketChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("Closing a gateway channel failed: {}", e.toString());
        }
    }
}
