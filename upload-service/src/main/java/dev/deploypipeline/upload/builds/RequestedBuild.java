package dev.deploypipeline.upload.builds;

import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.ReservedVariables;
import dev.deploypipeline.storage.RelativePath;
import dev.deploypipeline.upload.problems.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Build settings as a request gives them, checked before they are stored.
 *
 * @param cache {@code false} builds without the dependency cache; left out, the project's setting, else on
 */
public record RequestedBuild(
        String rootDirectory,
        String installCommand,
        String buildCommand,
        String outputDirectory,
        Map<String, String> env,
        Boolean cache) {

    private static final int MAX_DIRECTORY_LENGTH = 256;
    private static final int MAX_COMMAND_LENGTH = 1024;
    private static final int MAX_VARIABLES = 100;
    private static final int MAX_NAME_LENGTH = 128;
    private static final int MAX_VALUE_LENGTH = 8192;
    private static final Pattern NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    /** The settings, or a 400 that names the first one that cannot be used. */
    public BuildSettings validated() {
        return new BuildSettings(
                directory("rootDirectory", rootDirectory),
                command("installCommand", installCommand),
                command("buildCommand", buildCommand),
                directory("outputDirectory", outputDirectory),
                variables(),
                cache);
    }

    private static String directory(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_DIRECTORY_LENGTH || !RelativePath.isSafe(value)) {
            throw new InvalidRequestException(field + " must be a relative path inside the repository, "
                    + "like web or apps/site (no '..', no leading or trailing '/')");
        }
        return value;
    }

    private static String command(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_COMMAND_LENGTH || CONTROL.matcher(value).find()) {
            throw new InvalidRequestException(
                    field + " must be one line of at most " + MAX_COMMAND_LENGTH + " characters");
        }
        return value;
    }

    private Map<String, String> variables() {
        if (env == null || env.isEmpty()) {
            return Map.of();
        }
        if (env.size() > MAX_VARIABLES) {
            throw new InvalidRequestException("env may hold at most " + MAX_VARIABLES + " variables");
        }
        Map<String, String> checked = new LinkedHashMap<>();
        env.forEach((name, value) -> {
            if (name == null
                    || name.length() > MAX_NAME_LENGTH
                    || !NAME.matcher(name).matches()) {
                throw new InvalidRequestException(
                        "env names must match [A-Z_][A-Z0-9_]* (at most " + MAX_NAME_LENGTH + " characters)");
            }
            ReservedVariables.refusal(name).ifPresent(reason -> {
                throw new InvalidRequestException(reason);
            });
            if (value == null || value.length() > MAX_VALUE_LENGTH || value.indexOf('\0') >= 0) {
                throw new InvalidRequestException(
                        "env " + name + " must be a string of at most " + MAX_VALUE_LENGTH + " characters");
            }
            checked.put(name, value);
        });
        return checked;
    }
}
