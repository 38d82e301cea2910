package dev.deploypipeline.project;

/** A name that cannot be a project's: not a lowercase DNS label, or shaped like a deployment id. */
public class InvalidProjectNameException extends IllegalArgumentException {

    public InvalidProjectNameException(String value) {
        super("not a project name (lowercase letters, digits and '-', at most 63, not shaped like a deployment id): "
                + (value == null ? "null" : value.length() > 70 ? value.substring(0, 70) + "…" : value));
    }
}
