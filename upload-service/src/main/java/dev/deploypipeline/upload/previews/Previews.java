package dev.deploypipeline.upload.previews;

import dev.deploypipeline.project.PreviewAlias;
import dev.deploypipeline.project.PreviewStore;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.upload.problems.InvalidRequestException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.jgit.lib.Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Which branch of a project is built for a preview, and the preview's label claimed for it: the project's own
 * branch builds its site; another branch that {@code previewBranches} allows builds the preview at
 * {@code {branch}--{project}}, once no other branch holds that label.
 */
@Component
public class Previews {

    private static final Logger log = LoggerFactory.getLogger(Previews.class);

    private final PreviewStore store;

    Previews(PreviewStore store) {
        this.store = store;
    }

    /** A branch as git names it: {@code main} for {@code refs/heads/main}. */
    public static String branchName(String branch) {
        return branch.startsWith(Constants.R_HEADS) ? branch.substring(Constants.R_HEADS.length()) : branch;
    }

    /** Whether both name the same branch, however each is written; two missing names are the same. */
    public static boolean sameBranch(String one, String other) {
        return one == null || other == null ? one == other : branchName(one).equals(branchName(other));
    }

    /**
     * The preview a deployment of {@code branch} is built for, its label claimed; empty for the branch that builds the
     * project's site ({@code productionBranch}: the project's, or the repository's default when it names none). A
     * 409 when the project makes no preview of the branch or its label is another's; a 400 when no host name can be
     * made of it.
     */
    public Optional<PreviewAlias> claim(Project project, String branch, String productionBranch) {
        String name = branchName(branch);
        if (productionBranch != null && sameBranch(name, productionBranch)) {
            return Optional.empty();
        }
        if (!project.previewBranches().matches(name)) {
            throw new PreviewRefusedException("project " + project.name() + " makes no preview of branch " + name
                    + " (previewBranches: " + project.previewBranches().stored() + ")");
        }
        PreviewAlias preview = PreviewAlias.of(project.name(), name)
                .orElseThrow(() -> new InvalidRequestException("branch " + name + " gives no host name for a preview:"
                        + " it needs ASCII letters or digits, and room beside the project's name"));
        PreviewStore.Claim claim = store.claim(preview);
        if (!claim.held()) {
            throw new PreviewRefusedException("the preview " + preview.label() + " of branch " + name + " is taken: "
                    + (claim.holder() == null
                            ? "a project has that name"
                            : "branch " + claim.holder() + " has it, as both give the same host name"));
        }
        return Optional.of(preview);
    }

    /**
     * For a project with no branch, which builds its site from the repository's default branch: the preview of
     * {@code branch} claimed as {@link #claim} does, or the reason it may have none, kept until the fetch tells
     * whether the branch is that default one.
     */
    private TentativePreview claimTentatively(Project project, String branch) {
        return claimTentatively(project, branch, false);
    }

    private TentativePreview claimTentatively(Project project, String branch, boolean tagBuildsSite) {
        String name = branchName(branch);
        boolean followsDefault = project.branch() == null;
        try {
            String label = claim(project, name, null).map(PreviewAlias::label).orElseThrow();
            return new TentativePreview(name, label, null, followsDefault, tagBuildsSite);
        } catch (PreviewRefusedException e) {
            return new TentativePreview(name, null, e.getBody().getDetail(), followsDefault, tagBuildsSite);
        } catch (InvalidRequestException e) {
            return new TentativePreview(name, null, e.getMessage(), followsDefault, tagBuildsSite);
        }
    }

    /**
     * The preview a deployment of {@code branch} of {@code project} is built for. For a project with a branch it is
     * decided at once ({@link #claim}: none for its own branch). For one that follows the repository's default branch
     * it is claimed tentatively, and the fetch decides ({@link #claimTentatively}).
     */
    public BranchPreview forBranch(Project project, String branch) {
        if (project.branch() == null) {
            TentativePreview tentative = claimTentatively(project, branch);
            return new BranchPreview(tentative.label(), tentative);
        }
        return new BranchPreview(
                claim(project, branch, project.branch())
                        .map(PreviewAlias::label)
                        .orElse(null),
                null);
    }

    /**
     * The preview a deployment of {@code project} at {@code ref} is built for: a branch is decided as {@link
     * #forBranch} decides it, whether it is named {@code refs/heads/…} or by its short name, so a ref never builds the
     * site from a branch that is not the site's. A tag ({@code refs/tags/…}) builds the site, as a release. A short
     * name that is not the project's branch may be either, as the repository has a branch of that name or only a tag:
     * its preview is claimed tentatively, and the fetch decides.
     */
    public BranchPreview forRef(Project project, String ref) {
        if (ref.startsWith(Constants.R_TAGS)) {
            return BranchPreview.NONE;
        }
        if (ref.startsWith(Constants.R_HEADS)) {
            return forBranch(project, ref);
        }
        if (project.branch() != null && sameBranch(ref, project.branch())) {
            return BranchPreview.NONE;
        }
        TentativePreview tentative = claimTentatively(project, ref, true);
        return new BranchPreview(tentative.label(), tentative);
    }

    /**
     * What a deployment of a branch is built for.
     *
     * @param label the preview's label, claimed; {@code null} for the site, or for a tentative preview refused
     * @param tentative what the fetch decides ({@link TentativePreview}); else {@code null}
     */
    public record BranchPreview(String label, TentativePreview tentative) {

        /** Nothing of a preview: no branch was named, or no project. */
        public static final BranchPreview NONE = new BranchPreview(null, null);
    }

    /**
     * Gives up the label {@code tentative} claimed, its branch found to build the project's site, unless a
     * deployment is served at it already (an earlier preview of the branch, from before it was the default).
     */
    public void release(ProjectName project, TentativePreview tentative) {
        if (tentative.label() != null
                && store.release(new PreviewAlias(project, tentative.branch(), tentative.label()))) {
            log.info("Gave up the preview {}: {} builds the site", tentative.label(), tentative.branch());
        }
    }

    /** Removes the branch's preview (the branch was deleted); whether it had one. */
    public boolean remove(ProjectName project, String branch) {
        Optional<PreviewAlias> preview = PreviewAlias.of(project, branchName(branch));
        boolean removed = preview.isPresent() && store.remove(preview.get());
        if (removed) {
            log.info(
                    "Removed the preview {} of deleted branch {}", preview.get().label(), branch);
        }
        return removed;
    }

    /** The project's previews as the API shows them, each with its address. */
    public List<PreviewView> of(ProjectName project, Function<String, String> url) {
        return store.previews(project).values().stream()
                .map(preview -> new PreviewView(
                        preview.alias().branch(),
                        preview.alias().label(),
                        url.apply(preview.alias().label()),
                        preview.deployment().map(Object::toString).orElse(null)))
                .toList();
    }
}
