package dev.deploypipeline.project;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which branches of a project get a preview: none (the default), all, or those matching one of a few glob patterns,
 * in which {@code *} stands for any run of characters ({@code feature/*}, {@code release-*}).
 *
 * @param patterns {@code ["*"]} for all, empty for none
 */
public record PreviewBranches(List<String> patterns) {

    private static final int MAX_PATTERNS = 20;
    private static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9._/*-]{1,100}");
    public static final PreviewBranches NONE = new PreviewBranches(List.of());
    public static final PreviewBranches ALL = new PreviewBranches(List.of("*"));

    public PreviewBranches {
        patterns = List.copyOf(patterns);
        if (patterns.size() > MAX_PATTERNS
                || !patterns.stream().allMatch(p -> PATTERN.matcher(p).matches())) {
            throw new IllegalArgumentException("previewBranches is \"all\", \"none\" or at most " + MAX_PATTERNS
                    + " patterns of letters, digits, '.', '_', '/', '-' and '*', each up to 100 characters");
        }
    }

    public boolean matches(String branch) {
        return branch != null && patterns.stream().anyMatch(p -> globMatches(p, branch));
    }

    public boolean isNone() {
        return patterns.isEmpty();
    }

    public boolean isAll() {
        return patterns.contains("*");
    }

    /** As kept in the project's hash: {@code all}, {@code none}, or the patterns separated by spaces. */
    public String stored() {
        return isAll() ? "all" : isNone() ? "none" : String.join(" ", patterns);
    }

    /** What {@link #stored} wrote; {@link #NONE} for a project saved before previews existed. */
    public static PreviewBranches fromStored(String stored) {
        if (stored == null || stored.isBlank() || stored.equals("none")) {
            return NONE;
        }
        return stored.equals("all")
                ? ALL
                : new PreviewBranches(List.of(stored.trim().split(" +")));
    }

    /**
     * Whether {@code text} matches {@code pattern}, in at most pattern × text steps: on a mismatch only the last
     * {@code *} takes one more character, as a match for the earlier ones is never worse. A regex of {@code .*}
     * backtracks through every way of splitting the text instead, exponential in the stars.
     */
    private static boolean globMatches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int starText = 0;
        while (t < text.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                starText = t;
            } else if (p < pattern.length() && pattern.charAt(p) == text.charAt(t)) {
                p++;
                t++;
            } else if (star >= 0) {
                p = star + 1;
                t = ++starText;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
