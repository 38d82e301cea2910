package dev.deploypipeline.site.serving;

import dev.deploypipeline.site.routing.HostRouter;
import dev.deploypipeline.site.routing.Site;
import dev.deploypipeline.site.routing.SiteDirectory;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The front of the handler: a request for a host under {@code BASE_DOMAIN} is answered here, whatever its path,
 * so a site owns every path of its host and a label that names no site reaches nothing else; any other host
 * (the operator's) only reaches the actuator under {@code /actuator}, and gets a small 404 page for the rest.
 */
@Component
class SiteFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(SiteFilter.class);

    private final HostRouter router;
    private final SiteDirectory directory;
    private final SiteServer server;
    private final SiteRequests requests;

    SiteFilter(HostRouter router, SiteDirectory directory, SiteServer server, SiteRequests requests) {
        this.router = router;
        this.directory = directory;
        this.server = server;
        this.requests = requests;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!router.isUnderBaseDomain(request.getServerName())) {
            if (request.getRequestURI().startsWith("/actuator")) {
                chain.doFilter(request, response);
            } else {
                ErrorPages.noSite(response);
            }
            return;
        }
        try {
            answer(request, response);
        } finally {
            requests.answered(response.getStatus());
        }
    }

    private void answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<String> label = router.siteLabel(request.getServerName());
        if (label.isEmpty()) {
            ErrorPages.noSite(response);
            return;
        }
        if (!HttpMethod.GET.matches(request.getMethod()) && !HttpMethod.HEAD.matches(request.getMethod())) {
            ErrorPages.methodNotAllowed(response);
            return;
        }
        try {
            serve(label.get(), request, response);
        } catch (RuntimeException e) {
            log.warn("Could not serve {} {}", request.getServerName(), request.getRequestURI(), e);
            if (!response.isCommitted()) {
                response.reset();
                ErrorPages.unavailable(response);
            }
        }
    }

    private void serve(String label, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Site> site = directory.find(label);
        if (site.isEmpty()) {
            ErrorPages.noSite(response);
            return;
        }
        Optional<RequestedPath> path = RequestedPath.parse(request.getRequestURI());
        if (path.isEmpty()) {
            ErrorPages.badRequest(response);
            return;
        }
        server.serve(site.get(), path.get(), request, response);
    }
}
