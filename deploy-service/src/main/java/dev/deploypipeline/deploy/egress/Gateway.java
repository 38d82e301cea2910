package dev.deploypipeline.deploy.egress;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One build's way out: an HTTP(S) proxy listening on a Unix domain socket, which only the socket file's owner
 * may connect to. Each connection holds at most two of the gateway's threads; past
 * {@link EgressSettings#maxConnections()} a connection is answered 503. {@link #close()} ends it all.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final Duration ACCEPT_BACKOFF = Duration.ofMillis(100);

    private final String name;
    private final Path socket;
    private final ServerSocketChannel server;
    private final UpstreamConnector connector;
    private final EgressSettings settings;
    private final Refusals refusals;
    private final GatewayThreads threads;
    private final Semaphore permits;
    private final Overflow overflow;
    private final Set<ProxyConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Gateway(
            String name,
            Path socket,
            ServerSocketChannel server,
            UpstreamConnector connector,
            EgressSettings settings,
            Refusals refusals) {
        this.name = name;
        this.socket = socket;
        this.server = server;
        this.connector = connector;
        this.settings = settings;
        this.refusals = refusals;
        this.threads = new GatewayThreads(name, settings.maxConnections(), this::acceptUntilClosed);
        this.permits = new Semaphore(settings.maxConnections());
        this.overflow = new Overflow(settings.maxConnections());
    }

    static Gateway open(
            String name,
            Path socketFile,
            Consumer<String> refusalLines,
            UpstreamConnector connector,
            EgressSettings settings)
            throws IOException {
        Path socket = socketFile.toAbsolutePath();
        ServerSocketChannel server = SocketFile.listen(socket);
        Gateway gateway = new Gateway(name, socket, server, connector, settings, new Refusals(name, refusalLines));
        gateway.threads.start(gateway::expireDue, sweepPeriod(settings));
        log.info("Network gateway {} listens on {}", name, socket);
        return gateway;
    }

    /** The socket file; the caller makes it the build user's ({@code chown}) so that the build may connect. */
    public Path socket() {
        return socket;
    }

    private void acceptUntilClosed() {
        while (!closed.get()) {
            try {
                admit(server.accept());
            } catch (IOException e) {
                if (closed.get()) {
                    break;
                }
                if (!server.isOpen()) {
                    log.warn("Network gateway {} stopped accepting: its socket closed before the gateway", name, e);
                    break;
                }
                log.warn("Network gateway {} could not accept a connection; trying again", name, e);
                awaitStop(ACCEPT_BACKOFF);
            }
        }
    }

    private void admit(SocketChannel client) {
        accepted.incrementAndGet();
        if (!permits.tryAcquire()) {
            log.debug("Network gateway {} turned a connection away: {} are open", name, settings.maxConnections());
            overflow.turnAway(client);
            return;
        }
        ProxyConnection connection =
                new ProxyConnection(client, connector, refusals, settings, threads::execute, this::release);
        open.add(connection);
        try {
            threads.execute(connection::run);
        } catch (RejectedExecutionException e) {
            connection.close(); // the gateway is closing
            release(connection);
        }
    }

    private void release(ProxyConnection connection) {
        if (open.remove(connection)) {
            permits.release();
        }
    }

    private void expireDue() {
        long now = System.nanoTime();
        open.forEach(connection -> connection.expireIfDue(now));
        overflow.closeDue(now);
    }

    /**
     * Stops accepting, closes every connection and tunnel, and deletes the socket file; waits a bounded time for
     * the gateway's threads to end. Calling it again does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopped.countDown();
        int stillOpen = open.size();
        try {
            server.close();
        } catch (IOException e) {
            log.warn("Could not close the socket of network gateway {}", name, e);
        }
        boolean ended = false;
        try {
            threads.awaitAcceptor(CLOSE_WAIT);
            open.forEach(ProxyConnection::close);
            overflow.closeAll();
            ended = threads.stop(CLOSE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            log.warn("Could not delete the socket file {} of network gateway {}", socket, name, e);
        }
        log.info(
                "Closed network gateway {}: {} connection(s) accepted, {} refused, {} open at the end{}",
                name,
                accepted.get(),
                refusals.count(),
                stillOpen,
                ended ? "" : "; some of its threads did not end");
    }

    private void awaitStop(Duration wait) {
        try {
            stopped.await(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration sweepPeriod(EgressSettings settings) {
        Duration shortest = settings.idleTimeout().compareTo(settings.requestHeadTimeout()) < 0
                ? settings.idleTimeout()
                : settings.requestHeadTimeout();
        Duration period = shortest.dividedBy(10);
        return period.compareTo(Duration.ofMillis(10)) < 0
                ? Duration.ofMillis(10)
                : period.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : period;
    }
}
