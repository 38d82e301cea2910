package dev.deploypipeline.upload.git;

import dev.deploypipeline.network.PinnedHttpClients;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.URL;
import java.time.Duration;
import org.apache.http.conn.DnsResolver;
import org.apache.http.impl.client.CloseableHttpClient;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory;

/**
 * The HTTP connections of one fetch. Every URL JGit opens, redirects included, goes through
 * {@link RepositoryUrlPolicy#checkConnection}: one of {@code GIT_ALLOWED_HOSTS} is opened on the
 * {@code allowed} client, any other on the {@code checked} client, which resolves hosts only through
 * {@link RepositoryUrlPolicy#resolvePublic}, so the address connected to is the address checked. The clients
 * follow no redirects of their own (JGit does, through here), use no proxy, cookies or stored credentials,
 * and leave bodies compressed so the bytes counted are the bytes received. Closing the factory ends every
 * transfer still running: that is how a fetch is stopped at its deadline.
 */
final class PinnedConnectionFactory implements HttpConnectionFactory, AutoCloseable {

    private static final int MAX_CONNECTIONS = 4;

    private final RepositoryUrlPolicy policy;
    private final FetchBudget budget;
    private final Duration timeout;
    /** Each made at its first connection: most fetches use one of the two. */
    private CloseableHttpClient checked;

    private CloseableHttpClient allowed;
    private boolean closed;

    PinnedConnectionFactory(RepositoryUrlPolicy policy, FetchBudget budget, Duration ioTimeout) {
        this.policy = policy;
        this.budget = budget;
        this.timeout = ioTimeout.compareTo(budget.timeout()) < 0 ? ioTimeout : budget.timeout();
    }

    @Override
    public HttpConnection create(URL url) throws IOException {
        return create(url, Proxy.NO_PROXY);
    }

    /** The proxy JGit found in the system settings is ignored: connections go straight to checked addresses. */
    @Override
    public HttpConnection create(URL url, Proxy ignored) throws IOException {
        budget.checkTime();
        boolean allowedHost = policy.checkConnection(url);
        return new BudgetedConnection(url, client(allowedHost), budget);
    }

    private synchronized CloseableHttpClient client(boolean allowedHost) throws IOException {
        if (closed) {
            throw new IOException("the fetch was stopped");
        }
        if (allowedHost) {
            allowed = allowed != null
                    ? allowed
                    : pinned(host -> policy.resolveAllowed(host).toArray(InetAddress[]::new));
            return allowed;
        }
        checked = checked != null
                ? checked
                : pinned(host -> policy.resolvePublic(host).toArray(InetAddress[]::new));
        return checked;
    }

    /** A client that connects only to the addresses {@code resolver} gives for a host. */
    private CloseableHttpClient pinned(DnsResolver resolver) {
        return PinnedHttpClients.builder(resolver, MAX_CONNECTIONS, timeout).build();
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (CloseableHttpClient client : new CloseableHttpClient[] {checked, allowed}) {
            if (client == null) {
                continue;
            }
            try {
                client.close();
            } catch (IOException ignored) {
                // the fetch is over either way
            }
        }
    }
}
