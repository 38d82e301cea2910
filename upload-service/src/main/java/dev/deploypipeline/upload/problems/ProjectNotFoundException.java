package dev.deploypipeline.upload.problems;

import dev.deploypipeline.project.ProjectName;

/** No project has this name. */
public class ProjectNotFoundException extends RuntimeException {

    public ProjectNotFoundException(ProjectName name) {
        super("no project " + name);
    }
}
