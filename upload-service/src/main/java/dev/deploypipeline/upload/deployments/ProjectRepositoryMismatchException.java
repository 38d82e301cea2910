package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.project.ProjectName;

/**
 * A deployment of a project that names another repository than the project's: a 409. A project's site is
 * built from its own repository only; an admin changes that with {@code PATCH /projects/{name}}.
 */
public class ProjectRepositoryMismatchException extends RuntimeException {

    ProjectRepositoryMismatchException(ProjectName project, String projectRepository) {
        super("project " + project + " deploys " + projectRepository + "; a deployment of it cannot name another "
                + "repository (an admin can change the project's with PATCH /projects/" + project + ")");
    }
}
