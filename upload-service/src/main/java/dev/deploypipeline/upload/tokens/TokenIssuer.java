package dev.deploypipeline.upload.tokens;

import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.upload.access.Authenticator;
import dev.deploypipeline.upload.access.Scope;
import dev.deploypipeline.upload.access.StoredToken;
import dev.deploypipeline.upload.access.TokenStore;
import dev.deploypipeline.upload.problems.InvalidRequestException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/**
 * Makes tokens: 32 random bytes, base64url, after {@code dp_}; kept by their SHA-256 only, so the value is
 * shown once, in the answer that made it. Ids are 16 hex digits, which say nothing about the value.
 */
@Service
class TokenIssuer {

    static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._:@/-]{0,63}");
    private static final int MAX_PROJECTS = 100;

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
        StoredToken token = new StoredToken(
                HexFormat.of().formatHex(bytes(8)),
                request.name(),
                scope,
                projects(scope, request.projects()),
                clock.instant());
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

    private byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }
}
