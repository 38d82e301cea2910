package dev.deploypipeline.upload.access;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Who may change things, and how much they may send ({@code API_TOKEN}, {@code MAX_REQUEST_SIZE}).
 *
 * @param token when set, every POST, PUT, PATCH and DELETE needs {@code Authorization: Bearer <token>}
 *     (except the GitHub webhook, which is signed); unset, the API is open and says so at start
 * @param maxRequestSize the largest request body the API reads; larger ones are answered 413
 */
@ConfigurationProperties("api")
public record ApiSettings(String token, @DefaultValue("64KB") DataSize maxRequestSize) {

    boolean hasToken() {
        return token != null && !token.isBlank();
    }

    @Override
    public String toString() {
        return "ApiSettings[token=" + (hasToken() ? "(set)" : "(unset)") + ", maxRequestSize=" + maxRequestSize + "]";
    }
}
