package dev.deploypipeline.upload.git;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * A repository URL reduced to what names the repository: host, port unless it is the scheme's default,
 * and path without a trailing {@code /} or {@code .git}, all in lower case (GitHub's names are not case
 * sensitive). {@code https://github.com/Acme/Site.git} and {@code https://github.com/acme/site} are the same.
 */
public record RepositoryKey(String value) {

    public static Optional<RepositoryKey> of(String url) {
        if (url == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url.trim());
            if (uri.getHost() == null) {
                return Optional.empty();
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean defaultPort = uri.getPort() == -1
                    || scheme.equals("https") && uri.getPort() == 443
                    || scheme.equals("http") && uri.getPort() == 80;
            String path = uri.getPath() == null ? "" : uri.getPath();
            while (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            if (path.endsWith(".git")) {
                path = path.substring(0, path.length() - ".git".length());
            }
            String host = uri.getHost() + (defaultPort ? "" : ":" + uri.getPort());
            return Optional.of(new RepositoryKey((host + path).toLowerCase(Locale.ROOT)));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
