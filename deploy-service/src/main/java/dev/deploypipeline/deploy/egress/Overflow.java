package dev.deploypipeline.deploy.egress;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections past a gateway's cap: answered 503 at once, on no thread of their own, and closed a moment later,
 * so that a client still writing its request finds the socket open and then reads the answer. As many wait to
 * be closed as the gateway may have open; past that, one is closed at once.
 */
final class Overflow {

    private static final Logger log = LoggerFactory.getLogger(Overflow.class);
    private static final Duration GRACE = Duration.ofSeconds(1);

    private record Waiting(SocketChannel channel, long since) {}

    private final ByteBuffer answer;
    private final Queue<Waiting> waiting;

    Overflow(int maxConnections) {
        this.answer = Answer.SERVICE_UNAVAILABLE.bytes("this build has " + maxConnections
                + " connections open through its network gateway, the most it may have at once");
        this.waiting = new ArrayBlockingQueue<>(maxConnections);
    }

    /** Called by the accepting thread: the answer fits a socket's buffer, so writing it does not block. */
    void turnAway(SocketChannel client) {
        try {
            client.write(answer.duplicate());
            client.shutdownOutput();
        } catch (IOException e) {
            log.debug("Could not answer 503 to a gateway client: {}", e.toString());
        }
        if (!waiting.offer(new Waiting(client, System.nanoTime()))) {
            close(client);
        }
    }

    /** Called by the gateway's timer. */
    void closeDue(long now) {
        Waiting first = waiting.peek();
        while (first != null && now - first.since() > GRACE.toNanos()) {
            close(waiting.remove().channel());
            first = waiting.peek();
        }
    }

    void closeAll() {
        for (Waiting next = waiting.poll(); next != null; next = waiting.poll()) {
            close(next.channel());
        }
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("Closing a turned-away gateway client failed: {}", e.toString());
        }
    }
}
