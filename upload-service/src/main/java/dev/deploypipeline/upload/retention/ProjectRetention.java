package dev.deploypipeline.upload.retention;

import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.upload.problems.InvalidRequestException;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** How many of a project's newest deployments retention keeps: its {@code keep} setting, 20 unless it chose. */
@Service
public class ProjectRetention {

    public static final int DEFAULT_KEEP = 20;
    static final int MAX_KEEP = 1000;

    private final RetentionStore store;

    ProjectRetention(RetentionStore store) {
        this.store = store;
    }

    /** {@code keep} as a project may set it (1 to 1000), or empty for the default; a 400 otherwise. */
    public static Optional<Integer> check(Integer keep) {
        if (keep != null && (keep < 1 || keep > MAX_KEEP)) {
            throw new InvalidRequestException("keep is how many of the project's newest deployments are kept: 1 to "
                    + MAX_KEEP + ", not " + keep);
        }
        return Optional.ofNullable(keep);
    }

    /** What the project chose, if it did. */
    public Optional<Integer> chosen(ProjectName project) {
        return store.keep(project);
    }

    public int keep(ProjectName project) {
        return store.keep(project).orElse(DEFAULT_KEEP);
    }

    public void set(ProjectName project, Optional<Integer> keep) {
        store.setKeep(project, keep);
    }
}
