package dev.deploypipeline.upload.webhook;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;
import java.util.regex.Pattern;

/** The parts of GitHub's {@code push} payload a deployment needs. */
@JsonIgnoreProperties(ignoreUnknown = true)
record PushEvent(String ref, String before, String after, Boolean deleted, Repository repository) {

    private static final String BRANCHES = "refs/heads/";
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    /** The branch pushed to, or empty for a tag. */
    Optional<String> branch() {
        return ref != null && ref.startsWith(BRANCHES)
                ? Optional.of(ref.substring(BRANCHES.length()))
                : Optional.empty();
    }

    boolean isDeletion() {
        return Boolean.TRUE.equals(deleted);
    }

    boolean hasCommit() {
        return after != null && COMMIT.matcher(after).matches();
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Repository(
            @JsonProperty("clone_url") String cloneUrl,
            @JsonProperty("html_url") String htmlUrl,
            @JsonProperty("default_branch") String defaultBranch,
            @JsonProperty("pushed_at") String pushedAt) {}
}
