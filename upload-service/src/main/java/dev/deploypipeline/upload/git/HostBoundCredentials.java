package dev.deploypipeline.upload.git;

import dev.deploypipeline.network.AddressPolicy;
import org.eclipse.jgit.errors.UnsupportedCredentialItem;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * The credentials of a repository URL, given only to the server it names. JGit follows a redirect to another host
 * and, when that host asks to authenticate, asks the credentials provider again for the new URL; the provider
 * JGit ships answers for any URL, so a redirect would hand the credentials to whichever host it points at.
 */
final class HostBoundCredentials extends UsernamePasswordCredentialsProvider {

    private final RepositoryUrl url;

    HostBoundCredentials(RepositoryUrl url) {
        super(url.username(), url.password());
        this.url = url;
    }

    @Override
    public boolean get(URIish uri, CredentialItem... items) throws UnsupportedCredentialItem {
        return isOwnServer(uri) && super.get(uri, items);
    }

    private boolean isOwnServer(URIish uri) {
        if (uri == null || uri.getHost() == null || !url.uri().getScheme().equalsIgnoreCase(uri.getScheme())) {
            return false;
        }
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return AddressPolicy.normalizeHost(uri.getHost()).equals(url.host()) && port == url.port();
    }
}
