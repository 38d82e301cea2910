package dev.deploypipeline.deploy.egress;

import java.time.Duration;
import org.springframework.util.unit.DataSize;

/**
 * The limits of one build's network gateway.
 *
 * @param connectTimeout how long a connection to one address of a destination may take
 * @param idleTimeout how long a tunnel may carry no byte either way before it is closed
 * @param requestHeadTimeout how long a client has to send its request head once connected
 * @param maxRequestHead the largest request head (request line and headers) read
 * @param maxConnections how many connections one build may have open through its gateway at once; beyond that
 *     it is answered 503, so one build cannot take the threads of the service
 */
public record EgressSettings(
        Duration connectTimeout,
        Duration idleTimeout,
        Duration requestHeadTimeout,
        DataSize maxRequestHead,
        int maxConnections) {

    private static final DataSize LARGEST_HEAD = DataSize.ofMegabytes(1); // before DEFAULTS, which it checks

    public static final EgressSettings DEFAULTS = new EgressSettings(
            Duration.ofSeconds(10), Duration.ofMinutes(2), Duration.ofSeconds(10), DataSize.ofKilobytes(16), 64);

    public EgressSettings {
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(requestHeadTimeout, "requestHeadTimeout");
        if (maxRequestHead == null || maxRequestHead.toBytes() < 1 || maxRequestHead.compareTo(LARGEST_HEAD) > 0) {
            throw new IllegalArgumentException("maxRequestHead must be between 1 byte and " + LARGEST_HEAD);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1");
        }
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration");
        }
    }
}
