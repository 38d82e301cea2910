package dev.deploypipeline.upload.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.resource.ResourceHttpRequestHandler;

/**
 * Before every handler method: the scope it declares with {@link Requires}, which the caller must hold, or
 * {@link PublicEndpoint}. A method that declares neither is refused to all but admins (a test walks every mapping
 * so none ships like that). Spring's error page renders the errors of requests already checked, and is let
 * through, and so are the dashboard's static files ({@link PublicAssets}); Spring's other handlers (its answer to
 * OPTIONS, a path nothing maps) need {@code read}.
 */
@Component
class AccessInterceptor implements HandlerInterceptor {

    private static final Logger log = LoggerFactory.getLogger(AccessInterceptor.class);
    private static final String OWN_PACKAGE = "dev.deploypipeline.";

    private final Authenticator authenticator;

    AccessInterceptor(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Scope needed = isPublicAsset(request, handler) ? null : needed(handler);
        if (needed != null) {
            authenticator.callerOf(request).require(needed);
        }
        return true;
    }

    /** One of the dashboard's static files, which anyone may load ({@link PublicAssets}). */
    private static boolean isPublicAsset(HttpServletRequest request, Object handler) {
        return handler instanceof ResourceHttpRequestHandler
                && PublicAssets.PATTERN.equals(request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE));
    }

    /** The scope the handler needs, or {@code null} for none. */
    private static Scope needed(Object handler) {
        if (!(handler instanceof HandlerMethod method)) {
            return Scope.READ;
        }
        if (method.hasMethodAnnotation(PublicEndpoint.class)
                || ErrorController.class.isAssignableFrom(method.getBeanType())) {
            return null;
        }
        Requires requires = method.getMethodAnnotation(Requires.class);
        if (requires != null) {
            return requires.value();
        }
        if (!method.getBeanType().getName().startsWith(OWN_PACKAGE)) {
            return Scope.READ; // Spring's own (its answer to OPTIONS, say)
        }
        log.error("{} declares no scope (@Requires or @PublicEndpoint); only admins may call it", method);
        return Scope.ADMIN;
    }
}
