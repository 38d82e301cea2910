package dev.deploypipeline.upload.access;

import io.lettuce.core.RedisException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The actuator's endpoints, which Spring MVC's interceptors do not reach, once tokens are configured: health
 * answers everyone, with only {@code UP} or {@code DOWN} unless the caller holds a {@code read} token (its
 * details are shown {@code when-authorized}, and such a caller is given as the request's principal); every other
 * endpoint needs {@code read}. Without tokens nothing changes: health shows its status only, as always.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class ActuatorAccessFilter extends OncePerRequestFilter {

    private static final String ACTUATOR = "/actuator";
    private static final String HEALTH = ACTUATOR + "/health";

    private final Authenticator authenticator;
    private final FilterProblems problems;

    ActuatorAccessFilter(Authenticator authenticator, FilterProblems problems) {
        this.authenticator = authenticator;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !authenticator.isEnforced()
                || !request.getServletPath().startsWith(ACTUATOR)
                        && !rawPath(request).startsWith(ACTUATOR);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Caller caller;
        try {
            caller = authenticator.callerOf(request);
        } catch (RedisException e) {
            caller = Caller.unauthenticated("the token could not be checked, as Redis is unreachable");
        }
        if (isHealth(request)) {
            chain.doFilter(caller.has(Scope.READ) ? withPrincipal(request, caller) : request, response);
            return;
        }
        try {
            caller.require(Scope.READ);
        } catch (UnauthorizedException e) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            problems.write(response, HttpStatus.UNAUTHORIZED, "Unauthorized", e.getMessage());
            return;
        }
        chain.doFilter(request, response);
    }

    /** Health, asked for plainly: a path with dot segments, encodings or parameters is not taken for it. */
    private static boolean isHealth(HttpServletRequest request) {
        String path = rawPath(request);
        return (path.equals(HEALTH) || path.startsWith(HEALTH + "/"))
                && !path.contains("..")
                && !path.contains("%")
                && !path.contains(";")
                && !path.contains("//");
    }

    private static String rawPath(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    private static HttpServletRequest withPrincipal(HttpServletRequest request, Caller caller) {
        Principal principal = caller::name;
        return new HttpServletRequestWrapper(request) {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }
        };
    }
}
