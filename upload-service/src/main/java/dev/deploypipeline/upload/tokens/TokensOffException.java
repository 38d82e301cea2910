package dev.deploypipeline.upload.tokens;

/**
 * A token asked for while the API is open (no {@code API_TOKEN}): a 409, since the token would protect
 * nothing and its holder would believe otherwise.
 */
public class TokensOffException extends RuntimeException {

    TokensOffException() {
        super("tokens are only checked once API_TOKEN is set; without it the API is open to anyone who reaches it");
    }
}
