package dev.deploypipeline.upload.git;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.Proxy;
import java.net.URL;
import org.apache.http.client.HttpClient;
import org.eclipse.jgit.transport.http.apache.HttpClientConnection;

/** JGit's Apache HttpClient connection on the fetch's own client, its response bodies counted against the budget. */
final class BudgetedConnection extends HttpClientConnection {

    private final FetchBudget budget;

    BudgetedConnection(URL url, HttpClient client, FetchBudget budget) throws MalformedURLException {
        super(url.toString(), Proxy.NO_PROXY, client);
        this.budget = budget;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return budget.count(super.getInputStream());
    }
}
