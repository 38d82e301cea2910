package dev.deploypipeline.deployment;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a user may set about a build; every part is optional and falls back to the project's saved
 * settings, then to what is detected.
 *
 * @param rootDirectory the folder inside the repository that holds the app
 * @param installCommand replaces the detected install step
 * @param buildCommand replaces the detected build step
 * @param outputDirectory the folder, relative to the root directory, that is published
 * @param env variables given to the build, and to nothing else; values are never shown by the API
 * @param cache {@code false} builds without reading or writing a dependency cache; {@code null} (unset) and
 *     {@code true} use it
 */
public record BuildSettings(
        String rootDirectory,
        String installCommand,
        String buildCommand,
        String outputDirectory,
        Map<String, String> env,
        Boolean cache) {

    public static final BuildSettings NONE = new BuildSettings(null, null, null, null, Map.of());

    public BuildSettings {
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    /** Settings that say nothing about the cache. */
    public BuildSettings(
            String rootDirectory,
            String installCommand,
            String buildCommand,
            String outputDirectory,
            Map<String, String> env) {
        this(rootDirectory, installCommand, buildCommand, outputDirectory, env, null);
    }

    /** Whether the build may read and write its dependency cache: unless it was turned off. */
    public boolean usesCache() {
        return !Boolean.FALSE.equals(cache);
    }

    /** Each variable is a hash field of its own: {@code env.NAME}. */
    private static final String ENV_PREFIX = "env.";

    /** Adds the settings that are set to a Redis hash's fields. */
    public void writeTo(Map<String, String> fields) {
        putIfSet(fields, "rootDirectory", rootDirectory);
        putIfSet(fields, "installCommand", installCommand);
        putIfSet(fields, "buildCommand", buildCommand);
        putIfSet(fields, "outputDirectory", outputDirectory);
        env.forEach((name, value) -> fields.put(ENV_PREFIX + name, value));
        if (cache != null) {
            fields.put("cache", cache.toString());
        }
    }

    /** Reads the settings back from a Redis hash's fields. */
    public static BuildSettings readFrom(Map<String, String> fields) {
        Map<String, String> env = new LinkedHashMap<>();
        fields.forEach((field, value) -> {
            if (field.startsWith(ENV_PREFIX)) {
                env.put(field.substring(ENV_PREFIX.length()), value);
            }
        });
        return new BuildSettings(
                fields.get("rootDirectory"),
                fields.get("installCommand"),
                fields.get("buildCommand"),
                fields.get("outputDirectory"),
                env,
                fields.containsKey("cache") ? Boolean.valueOf(fields.get("cache")) : null);
    }

    private static void putIfSet(Map<String, String> fields, String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
    }

    /** These settings, with each one that is missing taken from {@code fallback}. */
    public BuildSettings orElse(BuildSettings fallback) {
        return new BuildSettings(
                rootDirectory != null ? rootDirectory : fallback.rootDirectory,
                installCommand != null ? installCommand : fallback.installCommand,
                buildCommand != null ? buildCommand : fallback.buildCommand,
                outputDirectory != null ? outputDirectory : fallback.outputDirectory,
                env.isEmpty() ? fallback.env : env,
                cache != null ? cache : fallback.cache);
    }
}
