package dev.deploypipeline.upload.tokens;

import dev.deploypipeline.upload.access.Caller;
import dev.deploypipeline.upload.access.Requires;
import dev.deploypipeline.upload.access.Scope;
import dev.deploypipeline.upload.access.TokenStore;
import dev.deploypipeline.upload.problems.InvalidRequestException;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /tokens} makes a token (201, its value in this answer only), {@code GET /tokens} lists them without
 * their values, {@code DELETE /tokens/{id}} revokes one at once (204). Admins only.
 */
@RestController
class TokenController {

    private static final Logger log = LoggerFactory.getLogger(TokenController.class);

    private final TokenIssuer issuer;
    private final TokenStore tokens;

    TokenController(TokenIssuer issuer, TokenStore tokens) {
        this.issuer = issuer;
        this.tokens = tokens;
    }

    @Requires(Scope.ADMIN)
    @PostMapping("/tokens")
    ResponseEntity<TokenView> create(@RequestBody TokenRequest request, Caller caller) {
        TokenView token = issuer.issue(request);
        log.info("{} made token {} ({}, scope {})", caller, token.id(), token.name(), token.scope());
        return ResponseEntity.created(URI.create("/tokens/" + token.id())).body(token);
    }

    @Requires(Scope.ADMIN)
    @GetMapping("/tokens")
    List<TokenView> list() {
        return tokens.all().stream().map(TokenView::of).toList();
    }

    @Requires(Scope.ADMIN)
    @DeleteMapping("/tokens/{id}")
    ResponseEntity<Void> revoke(@PathVariable String id, Caller caller) {
        if (!TokenIssuer.ID.matcher(id).matches()) {
            throw new InvalidRequestException("a token id is 16 hex digits");
        }
        if (!tokens.revoke(id)) {
            throw new TokenNotFoundException(id);
        }
        log.info("{} revoked token {}", caller, id);
        return ResponseEntity.noContent().build();
    }
}
