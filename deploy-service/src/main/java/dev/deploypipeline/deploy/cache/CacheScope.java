package dev.deploypipeline.deploy.cache;

import dev.deploypipeline.project.PreviewAlias;
import dev.deploypipeline.project.ProjectName;
import java.net.URI;
import java.net.URISyntaxException;
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
 * Whose cache entries a build reads and writes: its project's site's ({@code cache/projects/{name}/}), a preview's
 * of the project ({@code cache/projects/{name}/previews/{label}/}, which also reads its project's), or, for a
 * deployment of no project, its repository's built with the same commands and {@code env} ({@code
 * cache/repositories/{hash}/}).
 * Nothing a build does reaches another scope, so one tenant can never poison another's builds, and a branch its
 * project's site.
 *
 * @param prefix the entries' folder in the bucket, ending in {@code /}
 * @param group the folder, ending in {@code /}, whose entries share the scope's {@code BUILD_CACHE_KEEP}: the scope's
 *     own, or for a preview every preview's of its project, so pushing branches never grows the bucket past that
 * @param readAlso the scope read, never written, when this one has no entry: a preview's project's; else {@code null}
 */
public record CacheScope(String prefix, String group, CacheScope readAlso) {

    public CacheScope {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(group, "group");
        if (!prefix.startsWith(group)) {
            throw new IllegalArgumentException("the scope " + prefix + " is not in its group " + group);
        }
    }

    /** A scope that is its own group and reads no other. */
    public CacheScope(String prefix) {
        this(prefix, prefix, null);
    }

    /** A project's name is already checked to be a safe key segment ({@code ProjectName}). */
    public static CacheScope ofProject(String name) {
        return new CacheScope("cache/projects/" + name + "/");
    }

    /**
     * A preview of the project (its label, {@code {branch}--{project}}, one DNS label): anyone who may push a branch
     * builds one, so it writes only its own entries, and reads its project's when it has none, as a branch's run of
     * GitHub Actions reads the default branch's cache.
     */
    public static CacheScope ofPreview(String project, String label) {
        if (!PreviewAlias.isLabelOf(new ProjectName(project), label)) {
            throw new IllegalArgumentException("not the label of a preview of " + project + ": " + label);
        }
        CacheScope site = ofProject(project);
        return new CacheScope(site.prefix() + "previews/" + label + "/", site.prefix() + "previews/", site);
    }

    /** Whether the scope's entries share their {@code BUILD_CACHE_KEEP} with other scopes' (a preview's do). */
    boolean sharesGroup() {
        return !group.equals(prefix);
    }

    /**
     * A repository's deployments of no project; those with a root directory, commands or an {@code env} of their own (which may
     * write anything into the stores: {@code NODE_OPTIONS} runs code in every node process of the build) never
     * share entries with those without. Any deployer of a public repository may set them, so only deployments
     * given the very same folder, commands and variables (names and values) share a scope. The values may be secrets and
     * the hash is in every entry's key, so it is keyed ({@link RepositoryScopes}): without the key, no one who can
     * list the bucket can test guesses of a value against it.
     */
    static CacheScope ofRepository(
            SecretKey key,
            String repoUrl,
            String rootDirectory,
            String installCommand,
            String buildCommand,
            Map<String, String> env) {
        StringBuilder text = new StringBuilder();
        field(text, repository(repoUrl));
        // Another folder of the same repository (an example whose install pulls anyone's packages) is another scope.
        field(text, rootDirectory);
        field(text, installCommand);
        field(text, buildCommand);
        new TreeMap<>(env).forEach((name, value) -> {
            field(text, name);
            field(text, value);
        });
        return new CacheScope("cache/repositories/" + hmacSha256(key, text.toString(), 32) + "/");
    }

    /**
     * What names the repository: scheme and host in lower case, the scheme's default port left out, the path as it is
     * (on a case-sensitive host {@code Foo/site} and {@code foo/site} are two repositories) without a trailing {@code
     * /} or {@code .git}. A URL that cannot be parsed is kept as it is, only trimmed.
     */
    static String repository(String repoUrl) {
        String url = repoUrl.strip();
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return url;
        }
        if (uri.getScheme() == null || uri.getHost() == null || uri.getRawPath() == null) {
            return url;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        boolean defaultPort = uri.getPort() == -1
                || scheme.equals("https") && uri.getPort() == 443
                || scheme.equals("http") && uri.getPort() == 80;
        String path = uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.endsWith(".git")) {
            path = path.substring(0, path.length() - ".git".length());
        }
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + uri.getPort())
                + path;
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
