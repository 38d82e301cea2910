package dev.deploypipeline.upload.access;

import jakarta.servlet.http.HttpServletRequest;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.codec.digest.DigestUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Tells who calls from their {@code Authorization: Bearer} token: {@code API_TOKEN} (admin) and
 * {@code API_READ_TOKEN} (read) are compared by their SHA-256 with {@link MessageDigest#isEqual}, so the time
 * taken says nothing of how much of a guess was right; any other token is looked up by its SHA-256 among those
 * made through the API. With neither variable set, nothing is checked: the API is open.
 */
@Component
public class Authenticator {

    /** What tokens made through the API start with, so a leaked one is easy to recognise (and to scan for). */
    public static final String TOKEN_PREFIX = "dp_";

    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
    private static final String ATTRIBUTE = Caller.class.getName();
    private static final String BEARER = "bearer ";

    private final byte[] adminToken;
    private final byte[] readToken;
    private final TokenStore tokens;
    private final Clock clock;

    Authenticator(ApiSettings settings, TokenStore tokens, Clock clock) {
        this.adminToken = settings.hasToken() ? DigestUtils.sha256(settings.token()) : null;
        this.readToken = settings.hasReadToken() ? DigestUtils.sha256(settings.readToken()) : null;
        this.tokens = tokens;
        this.clock = clock;
        if (!isEnforced()) {
            log.warn("API_TOKEN is not set: anyone who can reach this service can read everything, start deployments "
                    + "and change projects (it listens on loopback only unless SERVER_ADDRESS says otherwise)");
        } else if (adminToken == null) {
            log.warn(
                    "API_READ_TOKEN is set without API_TOKEN: only tokens made earlier with POST /tokens can change anything");
        }
    }

    /** Whether tokens are checked at all: {@code API_TOKEN} or {@code API_READ_TOKEN} is set. */
    public boolean isEnforced() {
        return adminToken != null || readToken != null;
    }

    /** The caller of this request, told once and kept with the request. */
    public Caller callerOf(HttpServletRequest request) {
        Object known = request.getAttribute(ATTRIBUTE);
        if (known instanceof Caller caller) {
            return caller;
        }
        Caller caller = identify(request.getHeader(HttpHeaders.AUTHORIZATION));
        request.setAttribute(ATTRIBUTE, caller);
        return caller;
    }

    Caller identify(String authorization) {
        if (!isEnforced()) {
            return Caller.anyone();
        }
        if (authorization == null || authorization.isBlank()) {
            return Caller.unauthenticated("no Authorization: Bearer token was given");
        }
        if (!authorization.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            return Caller.unauthenticated("the Authorization header must be Bearer <token>");
        }
        String token = authorization.substring(BEARER.length()).trim();
        byte[] hash = DigestUtils.sha256(token);
        if (adminToken != null && MessageDigest.isEqual(adminToken, hash)) {
            return Caller.holding("API_TOKEN", Scope.ADMIN, Set.of());
        }
        if (readToken != null && MessageDigest.isEqual(readToken, hash)) {
            return Caller.holding("API_READ_TOKEN", Scope.READ, Set.of());
        }
        Optional<StoredToken> stored = token.startsWith(TOKEN_PREFIX) ? tokens.findByHash(hash) : Optional.empty();
        return stored.filter(found -> !found.expired(clock.instant()))
                .map(StoredToken::caller)
                .orElseGet(() -> Caller.unauthenticated("the bearer token is not valid (or was revoked, or expired)"));
    }
}
