package dev.deploypipeline.upload.notifications;

import dev.deploypipeline.upload.problems.InvalidRequestException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The body of {@code POST /projects/{name}/notifications}. */
record TargetRequest(String type, String url, String secret, String token, List<String> events) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern HEADER_SAFE = Pattern.compile("[\\x21-\\x7e]{1,256}");
    private static final Pattern GITHUB_REPOSITORY =
            Pattern.compile("/([A-Za-z0-9_.-]{1,100})/([A-Za-z0-9_.-]{1,100}?)(\\.git)?/?");

    /**
     * The target this asks for, checked: its URL by the address policy, its secret and token safe to send in a
     * header; a webhook without a secret gets a random one. {@code projectRepository} is where a GitHub target's
     * statuses go when it names no repository.
     */
    NotificationTarget toTarget(
            String project, String projectRepository, NotificationAddresses addresses, Instant now) {
        TargetType kind = TargetType.fromWord(type == null ? "" : type)
                .orElseThrow(() -> new InvalidRequestException("type must be webhook, slack or github"));
        String id = HexFormat.of().formatHex(randomBytes(8));
        String created = now.toString();
        Set<NotificationEvent> wanted = events(kind);
        return switch (kind) {
            case WEBHOOK -> {
                refuse(token, "token", "a webhook");
                String key = secret == null ? HexFormat.of().formatHex(randomBytes(32)) : headerSafe(secret, "secret");
                yield new NotificationTarget(
                        id, project, kind, addresses.check(url, "url").toString(), key, null, wanted, created);
            }
            case SLACK -> {
                refuse(token, "token", "a Slack target");
                refuse(secret, "secret", "a Slack target (its URL is its secret)");
                yield new NotificationTarget(
                        id, project, kind, addresses.check(url, "url").toString(), null, null, wanted, created);
            }
            case GITHUB -> {
                refuse(secret, "secret", "a GitHub target");
                if (token == null) {
                    throw new InvalidRequestException("a GitHub target needs a token that may write commit statuses");
                }
                yield new NotificationTarget(
                        id,
                        project,
                        kind,
                        repository(url == null ? projectRepository : url),
                        null,
                        headerSafe(token, "token"),
                        wanted,
                        created);
            }
        };
    }

    /** Whether the target was given no secret and was made one, which its answer then shows once. */
    boolean secretGenerated() {
        return secret == null && "webhook".equals(type);
    }

    /** {@code owner/repo} of a GitHub repository URL such as {@code https://github.com/acme/site.git}. */
    static String ownerAndRepository(String repositoryUrl) {
        String given = URI.create(repositoryUrl).getPath(); // none for an opaque URL such as mailto:x
        java.util.regex.Matcher path = GITHUB_REPOSITORY.matcher(given == null ? "" : given);
        if (!path.matches()) {
            throw new InvalidRequestException("url must be a GitHub repository: https://github.com/{owner}/{repo}");
        }
        return path.group(1) + "/" + path.group(2);
    }

    private static String repository(String value) {
        try {
            URI url = URI.create(value == null ? "" : value.trim());
            ownerAndRepository(url.toString());
            if (url.getRawUserInfo() != null || url.getRawQuery() != null) {
                throw new InvalidRequestException("url must be a GitHub repository without credentials or query");
            }
            return url.toString();
        } catch (IllegalArgumentException e) {
            throw e instanceof InvalidRequestException invalid
                    ? invalid
                    : new InvalidRequestException("url must be a GitHub repository: https://github.com/{owner}/{repo}");
        }
    }

    private Set<NotificationEvent> events(TargetType kind) {
        if (events == null) {
            return kind.defaultEvents();
        }
        if (events.isEmpty()) {
            throw new InvalidRequestException("events must name at least one event, or be left out for all");
        }
        Set<NotificationEvent> wanted = EnumSet.noneOf(NotificationEvent.class);
        for (String word : events) {
            wanted.add(NotificationEvent.fromWord(word)
                    .orElseThrow(() -> new InvalidRequestException("unknown event " + shortened(word)
                            + "; the events are deployment.created, .building, .succeeded, .failed, .cancelled,"
                            + " .promoted and .rolled_back")));
        }
        return wanted;
    }

    private static void refuse(String value, String field, String what) {
        if (value != null) {
            throw new InvalidRequestException(what + " takes no " + field);
        }
    }

    private static String headerSafe(String value, String field) {
        if (!HEADER_SAFE.matcher(value).matches()) {
            throw new InvalidRequestException(field + " must be 1 to 256 printable ASCII characters, without spaces");
        }
        return value;
    }

    private static String shortened(String word) {
        String text = String.valueOf(word);
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
