package dev.deploypipeline.upload.access;

import dev.deploypipeline.project.ProjectName;
import java.time.Instant;
import java.util.Set;

/**
 * A token made through the API, as it is kept: everything but its value, of which only the SHA-256 is stored.
 *
 * @param projects the projects a {@code deploy} token is limited to; empty for any
 */
public record StoredToken(String id, String name, Scope scope, Set<ProjectName> projects, Instant createdAt) {

    public StoredToken {
        projects = Set.copyOf(projects);
    }

    Caller caller() {
        return Caller.holding("token " + id + " (" + name + ")", scope, projects);
    }
}
