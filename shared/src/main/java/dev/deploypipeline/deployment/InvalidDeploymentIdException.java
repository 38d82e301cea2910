package dev.deploypipeline.deployment;

/** An id that does not have the shape of a deployment id; it is never looked up. */
public class InvalidDeploymentIdException extends IllegalArgumentException {

    public InvalidDeploymentIdException(String value) {
        super("not a deployment id: " + abbreviate(value));
    }

    private static String abbreviate(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
