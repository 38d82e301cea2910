package dev.deploypipeline.upload.webhook;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.deploypipeline.upload.git.RefName;
import dev.deploypipeline.upload.problems.InvalidRequestException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The parts of GitHub's {@code push} payload a deployment needs. Whoever has the webhook's secret may sign any
 * payload, so what reaches preview patterns, Redis keys and the log is {@linkplain #checked checked} first.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record PushEvent(String ref, String before, String after, Boolean deleted, Repository repository) {

    private static final String BRANCHES = "refs/heads/";
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    /** GitHub's {@code pushed_at}: seconds since the epoch in a push, an ISO-8601 instant elsewhere. */
    private static final Pattern PUSHED_AT = Pattern.compile("[0-9A-Za-z:.+-]{1,40}");

    /**
     * The push, when it is one GitHub could have sent; else a 400: no repository or commit, a {@code ref} that is
     * not a full branch or tag name git accepts (as {@code POST /deploy} checks one, within 255 characters), a
     * {@code before} that is not a commit, or a {@code pushed_at} that is not a time.
     */
    PushEvent checked() {
        if (repository == null || !hasCommit()) {
            throw new InvalidRequestException("the push payload has no repository or no commit ('after')");
        }
        if (ref == null || !ref.startsWith("refs/")) {
            throw new InvalidRequestException(
                    "the push payload's ref must be a full ref name (" + BRANCHES + "… or refs/tags/…)");
        }
        RefName.checked(ref, "the push payload's ref");
        if (before != null && !COMMIT.matcher(before).matches()) {
            throw new InvalidRequestException("the push payload's before is not a commit id");
        }
        if (repository.pushedAt() != null
                && !PUSHED_AT.matcher(repository.pushedAt()).matches()) {
            throw new InvalidRequestException("the push payload's repository.pushed_at is not a time");
        }
        return this;
    }

    /** The branch pushed to, or empty for a tag. */
    Optional<String> branch() {
        return ref != null && ref.startsWith(BRANCHES)
                ? Optional.of(ref.substring(BRANCHES.length()))
                : Optional.empty();
    }

    boolean isDeletion() {
        return Boolean.TRUE.equals(deleted);
    }

    private boolean hasCommit() {
        return after != null && COMMIT.matcher(after).matches();
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Repository(
            @JsonProperty("clone_url") String cloneUrl,
            @JsonProperty("html_url") String htmlUrl,
            @JsonProperty("default_branch") String defaultBranch,
            @JsonProperty("pushed_at") String pushedAt) {}
}
