package dev.deploypipeline.project;

import dev.deploypipeline.deployment.DeploymentId;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A project's name: a DNS label (its site is {@code {name}.{BASE_DOMAIN}}) that can never be mistaken
 * for a deployment id.
 */
public record ProjectName(String value) {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public ProjectName {
        if (!isValid(value)) {
            throw new InvalidProjectNameException(value);
        }
    }

    public static boolean isValid(String value) {
        return value != null && LABEL.matcher(value).matches() && !DeploymentId.isValid(value);
    }

    public static Optional<ProjectName> parse(String value) {
        return isValid(value) ? Optional.of(new ProjectName(value)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
