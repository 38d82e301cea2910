package dev.deploypipeline.deploy.cache;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * Whose cache entries a build reads and writes: its project's ({@code cache/projects/{name}/}), or, for a
 * deployment of no project, its repository's built with the same commands and {@code env} ({@code
 * cache/repositories/{hash}/}).
 * Nothing a build does reaches another scope, so one tenant can never poison another's builds.
 *
 * @param prefix the entries' folder in the bucket, ending in {@code /}
 */
public record CacheScope(String prefix) {

    public CacheScope {
        Objects.requireNonNull(prefix, "prefix");
    }

    /** A project's name is already checked to be a safe key segment ({@code ProjectName}). */
    public static CacheScope ofProject(String name) {
        return new CacheScope("cache/projects/" + name + "/");
    }

    /**
     * A repository's deployments of no project; those with commands or an {@code env} of their own (which may
     * write anything into the stores: {@code NODE_OPTIONS} runs code in every node process of the build) never
     * share entries with those without. Any deployer of a public repository may set them, so only deployments
     * given the very same commands and variables (names and values) share a scope.
     */
    public static CacheScope ofRepository(
            String repoUrl, String installCommand, String buildCommand, Map<String, String> env) {
        String repository = repoUrl.strip().toLowerCase(Locale.ROOT);
        while (repository.endsWith("/")) {
            repository = repository.substring(0, repository.length() - 1);
        }
        if (repository.endsWith(".git")) {
            repository = repository.substring(0, repository.length() - ".git".length());
        }
        return new CacheScope("cache/repositories/"
                + sha256(repository + "\n" + installCommand + "\n" + buildCommand + "\n" + envDigest(env), 32)
                + "/");
    }

    /** The variables in name order, each with its lengths, so no two different sets read the same. */
    private static String envDigest(Map<String, String> env) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(env)
                .forEach((name, value) -> text.append(name.length())
                        .append(':')
                        .append(name)
                        .append('=')
                        .append(value.length())
                        .append(':')
                        .append(value)
                        .append('\n'));
        return sha256(text.toString(), 64);
    }

    /** The first {@code length} hex digits of the text's SHA-256. */
    static String sha256(String text, int length) {
        return sha256(text.getBytes(StandardCharsets.UTF_8), length);
    }

    static String sha256(byte[] bytes, int length) {
        return DigestUtils.sha256Hex(bytes).substring(0, length);
    }

    @Override
    public String toString() {
        return prefix;
    }
}
