package dev.deploypipeline.upload.previews;

import org.eclipse.jgit.lib.Constants;

/**
 * The preview of a branch whose deployment only the fetch can decide, kept until then: a branch of a project that has
 * no branch of its own and so builds its site from the repository's default branch (only the fetch learns which:
 * HEAD's symref, as the git server advertises it), or a name given as a project's {@code ref}, which is a branch when
 * the repository has one of that name and else a tag. When the fetch finds that it builds the site (the default
 * branch, or a tag), the label claimed for it is given up; otherwise it builds the preview, or fails for the reason
 * the preview was refused.
 *
 * @param branch the branch, by its short name
 * @param label the preview's label, claimed when it was accepted; {@code null} when it was refused
 * @param refusal why the branch may have no preview (what a project with a branch answers with {@code 409} or
 *     {@code 400}); {@code null} when its label is claimed
 * @param followsDefaultBranch whether the project builds its site from the repository's default branch
 * @param tagBuildsSite whether a tag of the name, found where no branch has it, builds the site (a name given as
 *     {@code ref}: tags are releases); a name given as {@code branch} is never a tag's
 */
public record TentativePreview(
        String branch, String label, String refusal, boolean followsDefaultBranch, boolean tagBuildsSite) {

    /**
     * Whether what the fetch found builds the project's site: a tag where one may, or the branch HEAD names
     * ({@code defaultBranch}; {@code null}: none advertised) when this is it and the project follows it.
     *
     * @param fetchedRef the ref fetched, by its full name
     */
    public boolean buildsSite(String fetchedRef, String defaultBranch) {
        if (fetchedRef.startsWith(Constants.R_TAGS)) {
            return tagBuildsSite;
        }
        return followsDefaultBranch && defaultBranch != null && Previews.sameBranch(branch, defaultBranch);
    }
}
