package dev.deploypipeline.deploy.cache;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
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
     * given the very same commands and variables (names and values) share a scope. The values may be secrets and
     * the hash is in every entry's key, so it is keyed ({@link RepositoryScopes}): without the key, no one who can
     * list the bucket can test guesses of a value against it.
     */
    static CacheScope ofRepository(
            SecretKey key, String repoUrl, String installCommand, String buildCommand, Map<String, String> env) {
        String repository = repoUrl.strip().toLowerCase(Locale.ROOT);
        while (repository.endsWith("/")) {
            repository = repository.substring(0, repository.length() - 1);
        }
        if (repository.endsWith(".git")) {
            repository = repository.substring(0, repository.length() - ".git".length());
        }
        StringBuilder text = new StringBuilder();
        field(text, repository);
        field(text, installCommand);
        field(text, buildCommand);
        new TreeMap<>(env).forEach((name, value) -> {
            field(text, name);
            field(text, value);
        });
        return new CacheScope("cache/repositories/" + hmacSha256(key, text.toString(), 32) + "/");
    }

    /** Each field with its length, and none told from an empty one, so no two different settings read the same. */
    private static void field(StringBuilder text, String value) {
        if (value == null) {
            text.append("-\n");
        } else {
            text.append(value.length()).append(':').append(value).append('\n');
        }
    }

    private static String hmacSha256(SecretKey key, String text, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of()
                    .formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
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
