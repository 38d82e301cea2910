package dev.deploypipeline.upload.tokens;

/** No token has this id (or it was revoked already): a 404. */
public class TokenNotFoundException extends RuntimeException {

    TokenNotFoundException(String id) {
        super("no token " + id);
    }
}
