package dev.deploypipeline.site.serving;

import dev.deploypipeline.site.routing.Site;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.storage.ObjectMetadata;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Chooses the file of a site that answers a path, in the order static hosts use: the file itself (a
 * folder's {@code index.html}); a redirect to {@code path/} when the path is a folder without its slash;
 * for a single-page app, {@code index.html}; the site's own {@code 404.html} with status 404; a plain 404. A path
 * whose file's key would pass S3's limit gets 414 before S3 is asked; a folder index past it is not looked for.
 */
@Component
class SiteServer {

    private static final String INDEX = "index.html";
    private static final String NOT_FOUND_PAGE = "404.html";

    private final ObjectCatalog catalog;
    private final ObjectResponder responder;

    SiteServer(ObjectCatalog catalog, ObjectResponder responder) {
        this.catalog = catalog;
        this.responder = responder;
    }

    void serve(Site site, RequestedPath path, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String root = ObjectKeys.site(site.deployment());
        if (!path.fitsUnder(root)) {
            // S3 would refuse the key with 400 KeyTooLong, which would reach the visitor as a 503.
            ErrorPages.uriTooLong(response);
            return;
        }
        Optional<ObjectMetadata> file = catalog.find(root + path.file());
        if (file.isPresent()) {
            responder.send(file.get(), CachePolicy.of(path.file()), request, response);
            return;
        }
        if (path.mayNameFolderUnder(root)
                && catalog.find(root + path.asFolderIndex()).isPresent()) {
            redirectToFolder(request, response);
            return;
        }
        Optional<ObjectMetadata> index = site.spaFallback() ? catalog.find(root + INDEX) : Optional.empty();
        if (index.isPresent()) {
            responder.send(index.get(), CachePolicy.REVALIDATE, request, response);
            return;
        }
        Optional<ObjectMetadata> notFoundPage = catalog.find(root + NOT_FOUND_PAGE);
        if (notFoundPage.isPresent()) {
            responder.sendAs(
                    HttpServletResponse.SC_NOT_FOUND, notFoundPage.get(), CachePolicy.REVALIDATE, request, response);
        } else {
            ErrorPages.notFound(response);
        }
    }

    // Relative links in docs/index.html resolve against docs/, so the folder is served under its slash.
    private static void redirectToFolder(HttpServletRequest request, HttpServletResponse response) {
        String query = request.getQueryString();
        response.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
        response.setHeader(HttpHeaders.CACHE_CONTROL, CachePolicy.REVALIDATE);
        response.setHeader(HttpHeaders.LOCATION, request.getRequestURI() + "/" + (query == null ? "" : "?" + query));
    }
}
