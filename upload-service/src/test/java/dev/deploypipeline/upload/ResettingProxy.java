package dev.deploypipeline.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy that resets its first connections (an RST, as a server or middlebox dropping a
 * connection does) and forwards the rest to {@code targetPort}.
 */
final class ResettingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final AtomicInteger resetsLeft;

    ResettingProxy(int targetPort) {
        this.targetPort = targetPort;
        this.resetsLeft = new AtomicInteger();
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "resetting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Resets the next {@code connections} connections, then forwards again. */
    void resetNext(int connections) {
        resetsLeft.set(connections);
    }

    int resetsLeft() {
        return Math.max(0, resetsLeft.get());
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (resetsLeft.getAndDecrement() > 0) {
                    client.setSoLinger(true, 0);
                    client.close();
                } else {
                    Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    pipe(client, target);
                    pipe(target, client);
                }
            } catch (IOException e) {
                // closed, or one connection failed: keep serving the others
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        Thread thread = new Thread(
                () -> {
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException e) {
                        // the other side closed
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "resetting-proxy-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
