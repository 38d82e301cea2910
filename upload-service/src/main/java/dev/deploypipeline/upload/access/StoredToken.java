package dev.deploypipeline.upload.access;

import dev.deploypipeline.project.ProjectName;
import java.time.Instant;
import java.util.Set;

/**
 * A token made through the API, as it is kept: everything but its value, of which only the SHA-256 is stored.
 *
 * @param projects the projects a {@code deploy} token is limited to; empty for any
 * @param expiresAt when it stops working; {@code null} for a token that works until it is revoked
 */
public record StoredToken(
        String id, String name, Scope scope, Set<ProjectName> projects, Instant createdAt, Instant expiresAt) {

    public StoredToken {
        projects = Set.copyOf(projects);
    }

    /** Whether it has stopped working by {@code now}. */
    boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    Caller caller() {
        return Caller.holding("token " + id + " (" + name + ")", scope, projects);
    }
}
