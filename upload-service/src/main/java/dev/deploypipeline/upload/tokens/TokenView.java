package dev.deploypipeline.upload.tokens;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.upload.access.StoredToken;
import java.time.Instant;
import java.util.List;

/**
 * A token as the API shows it. Its value ({@code token}) only in the answer that made it, never again.
 *
 * @param projects the projects a deploy token is limited to; absent when it may deploy any
 * @param expiresAt when the token stops working; absent for one that works until it is revoked
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record TokenView(
        String id,
        String token,
        String name,
        String scope,
        List<String> projects,
        Instant createdAt,
        Instant expiresAt) {

    static TokenView of(StoredToken token) {
        return issued(token, null);
    }

    static TokenView issued(StoredToken token, String value) {
        List<String> projects =
                token.projects().stream().map(ProjectName::value).sorted().toList();
        return new TokenView(
                token.id(),
                value,
                token.name(),
                token.scope().word(),
                projects.isEmpty() ? null : projects,
                token.createdAt(),
                token.expiresAt());
    }
}
