package dev.deploypipeline.upload.git;

import dev.deploypipeline.upload.problems.InvalidRequestException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;

/** A branch or tag name as a user gives it ({@code main}, {@code v1.2}, {@code refs/heads/main}). */
public final class RefName {

    private RefName() {}

    /** The name, or {@code null} when none was given; a 400 when git would not accept it as a ref. */
    public static String checked(String ref, String field) {
        if (ref == null || ref.isBlank()) {
            return null;
        }
        String name = ref.startsWith(Constants.R_REFS) ? ref : Constants.R_HEADS + ref;
        if (ref.startsWith("-") || ref.length() > 255 || !Repository.isValidRefName(name)) {
            throw new InvalidRequestException(field + " is not a valid branch or tag name");
        }
        if (!isBranchOrTag(name)) {
            throw new InvalidRequestException(
                    field + " names " + ref + ", which is neither a branch (" + Constants.R_HEADS + "…) nor a tag ("
                            + Constants.R_TAGS + "…): only branches and tags are deployed");
        }
        return ref;
    }

    /**
     * A full ref name under {@code refs/heads/} or {@code refs/tags/}: the refs a repository's own people push. Other
     * refs a server advertises ({@code refs/pull/1/head}, {@code refs/merge-requests/1/head}) hold strangers' code.
     */
    public static boolean isBranchOrTag(String name) {
        return name.startsWith(Constants.R_HEADS) || name.startsWith(Constants.R_TAGS);
    }

    /**
     * A branch's short name, as git and the webhook's pushes name it: {@code main} for {@code main} or {@code
     * refs/heads/main}; {@code null} when none was given; a 400 for an invalid name or a ref that is not a branch.
     */
    public static String branch(String branch, String field) {
        String checked = checked(branch, field);
        if (checked == null || !checked.startsWith(Constants.R_REFS)) {
            return checked;
        }
        if (!checked.startsWith(Constants.R_HEADS)) {
            throw new InvalidRequestException(field + " names a branch; give a tag or other ref as ref");
        }
        return checked.substring(Constants.R_HEADS.length());
    }
}
