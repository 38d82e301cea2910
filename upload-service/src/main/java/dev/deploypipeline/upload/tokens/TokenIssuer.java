package dev.deploypipeline.upload.tokens;

import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.upload.access.Authenticator;
import dev.deploypipeline.upload.access.Scope;
import dev.deploypipeline.upload.access.StoredToken;
import dev.deploypipeline.upload.access.TokenStore;
import dev.deploypipeline.upload.problems.InvalidRequestException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Service;

/**
 * Makes tokens: 32 random bytes, base64url, after {@code dp_}; kept by their SHA-256 only, so the value is
 * shown once, in the answer that made it. Ids are 16 hex digits, which say nothing about the value. A token made
 * with {@code expiresIn} stops working then, and Redis forgets it.
 */
@Service
class TokenIssuer {

    static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._:@/-]{0,63}");
    private static final int MAX_PROJECTS = 100;
    private static final Duration SHORTEST = Duration.ofMinutes(1);
    private static final Duration LONGEST = Duration.ofDays(3650);

    private final TokenStore tokens;
    private final Authenticator authenticator;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    TokenIssuer(TokenStore tokens, Authenticator authenticator, Clock clock) {
        this.tokens = tokens;
        this.authenticator = authenticator;
        this.clock = clock;
    }

    /** A new token and its value; a 400 that says what to change when the request cannot be one. */
    TokenView issue(TokenRequest request) {
        if (!authenticator.isEnforced()) {
            throw new TokensOffException();
        }
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            throw new InvalidRequestException("name is required: up to 64 letters, digits, spaces and ._:@/- "
                    + "that tell what the token is for");
        }
        Scope scope = Scope.parse(request.scope());
        Instant now = clock.instant();
        StoredToken token = new StoredToken(
                HexFormat.of().formatHex(bytes(8)),
                request.name(),
                scope,
                projects(scope, request.projects()),
                now,
                lifetime(request.expiresIn()).map(now::plus).orElse(null));
        String value = Authenticator.TOKEN_PREFIX
                + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
        tokens.save(token, value);
        return TokenView.issued(token, value);
    }

    private static Set<ProjectName> projects(Scope scope, List<String> names) {
        if (names == null) {
            return Set.of();
        }
        if (scope != Scope.DEPLOY) {
            throw new InvalidRequestException("projects limit a deploy token only; a " + scope + " token covers all");
        }
        if (names.isEmpty() || names.size() > MAX_PROJECTS) {
            throw new InvalidRequestException("projects must name 1 to " + MAX_PROJECTS
                    + " projects (leave it out for a token that may deploy any)");
        }
        return names.stream().map(ProjectName::new).collect(Collectors.toSet());
    }

    /** How long the token works: {@code 30d}, {@code 12h}, {@code 90m} (or ISO-8601), within its bounds. */
    private static Optional<Duration> lifetime(String expiresIn) {
        if (expiresIn == null) {
            return Optional.empty();
        }
        Duration lifetime;
        try {
            lifetime = DurationStyle.detectAndParse(expiresIn.strip());
        } catch (IllegalArgumentException e) {
            lifetime = null;
        }
        if (lifetime == null || lifetime.compareTo(SHORTEST) < 0 || lifetime.compareTo(LONGEST) > 0) {
            throw new InvalidRequestException("expiresIn is how long the token works, from 1m to 3650d (30d, 12h,"
                    + " 90m); leave it out for a token that works until it is revoked");
        }
        return Optional.of(lifetime);
    }

    private byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }
}
