package dev.deploypipeline.project;

import java.util.Optional;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * The site of one branch of a project: {@code {branch}--{project}.{BASE_DOMAIN}}, one DNS label. The branch's part
 * keeps its lowercase ASCII letters and digits, every other run of characters becomes one {@code -} (so it never
 * holds {@code --}, and the label splits back at its first {@code --}), and a part that would make the label longer
 * than 63 is cut and ends with 6 hex digits of the branch's SHA-256. Two branches may come to the same label
 * ({@code feature/a} and {@code feature-a}): the store refuses the second.
 *
 * @param label the host label, which is also its key in the {@code aliases} hash
 * @param branch the branch as git names it
 */
public record PreviewAlias(ProjectName project, String branch, String label) {

    private static final int MAX_LABEL = 63;
    private static final String SEPARATOR = "--";
    private static final int HASHED = 6;

    /** The preview of {@code branch}, or empty when no DNS label can be made of it (nothing of it is ASCII). */
    public static Optional<PreviewAlias> of(ProjectName project, String branch) {
        String part = slug(branch);
        int room = MAX_LABEL - SEPARATOR.length() - project.value().length();
        if (part.length() > room) {
            if (room < HASHED + 2) {
                return Optional.empty();
            }
            String kept = trimHyphens(part.substring(0, room - HASHED - 1));
            part = (kept.isEmpty() ? "" : kept + "-")
                    + DigestUtils.sha256Hex(branch).substring(0, HASHED);
        }
        // "xn--" opens an internationalised name, which browsers would try to decode.
        if (part.isEmpty() || part.equals("xn")) {
            return Optional.empty();
        }
        return Optional.of(new PreviewAlias(project, branch, part + SEPARATOR + project.value()));
    }

    /** Whether a project's name could be mistaken for a preview's label. */
    public static boolean looksLikePreview(String name) {
        return name.contains(SEPARATOR);
    }

    /** Whether {@code label} is one DNS label that names a preview of {@code project}. */
    public static boolean isLabelOf(ProjectName project, String label) {
        return ProjectName.isValid(label)
                && projectOf(label).filter(project::equals).isPresent();
    }

    /** The project of a preview's label, or empty when the label is not a preview's. */
    public static Optional<ProjectName> projectOf(String label) {
        int at = label.indexOf(SEPARATOR);
        return at <= 0 ? Optional.empty() : ProjectName.parse(label.substring(at + SEPARATOR.length()));
    }

    private static String slug(String branch) {
        StringBuilder slug = new StringBuilder();
        for (char c : branch.toCharArray()) {
            boolean kept = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            char lower = (c >= 'A' && c <= 'Z') ? (char) (c + ('a' - 'A')) : c;
            if (kept || lower != c) {
                slug.append(lower);
            } else if (!slug.isEmpty() && slug.charAt(slug.length() - 1) != '-') {
                slug.append('-');
            }
        }
        return trimHyphens(slug.toString());
    }

    private static String trimHyphens(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && text.charAt(start) == '-') {
            start++;
        }
        while (end > start && text.charAt(end - 1) == '-') {
            end--;
        }
        return text.substring(start, end);
    }
}
