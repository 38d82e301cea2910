package dev.deploypipeline.upload.access;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * With {@code API_TOKEN} set, every mutating call needs {@code Authorization: Bearer <token>}. Both tokens
 * are hashed before {@link MessageDigest#isEqual} compares them, so the comparison takes the same time
 * whatever the length or the first wrong byte of the token presented.
 */
@Component
class ApiTokenInterceptor implements HandlerInterceptor {

    private static final Logger log = LoggerFactory.getLogger(ApiTokenInterceptor.class);
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final String BEARER = "bearer ";

    private final byte[] expected;

    ApiTokenInterceptor(ApiSettings settings) {
        this.expected = settings.hasToken() ? sha256(settings.token()) : null;
        if (expected == null) {
            log.warn("API_TOKEN is not set: anyone who can reach this service can start deployments and change projects");
        }
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (expected == null || !MUTATING.contains(request.getMethod())) {
            return true;
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            throw new UnauthorizedException("this call needs an Authorization: Bearer token");
        }
        if (!MessageDigest.isEqual(expected, sha256(authorization.substring(BEARER.length()).trim()))) {
            throw new UnauthorizedException("the bearer token is not valid");
        }
        return true;
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
