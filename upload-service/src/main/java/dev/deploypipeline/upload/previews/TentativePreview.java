package dev.deploypipeline.upload.previews;

/**
 * The preview of a branch named for a project that has no branch of its own and so builds its site from the
 * repository's default branch: which branch that is, only the fetch learns (HEAD's symref, as the git server
 * advertises it). When it is this branch, the deployment builds the site, and the label claimed for it is given up;
 * otherwise it builds the preview, or fails for the reason the preview was refused.
 *
 * @param branch the branch, by its short name
 * @param label the preview's label, claimed when it was accepted; {@code null} when it was refused
 * @param refusal why the branch may have no preview (what a project with a branch answers with {@code 409} or
 *     {@code 400}); {@code null} when its label is claimed
 */
public record TentativePreview(String branch, String label, String refusal) {

    /** Whether the branch HEAD names ({@code null}: none advertised) is this one, so it builds the project's site. */
    public boolean buildsSite(String defaultBranch) {
        return defaultBranch != null && Previews.sameBranch(branch, defaultBranch);
    }
}
