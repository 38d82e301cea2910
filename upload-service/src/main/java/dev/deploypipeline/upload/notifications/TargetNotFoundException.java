package dev.deploypipeline.upload.notifications;

/** The project has no notification target of this id. */
public class TargetNotFoundException extends RuntimeException {

    TargetNotFoundException(String project, String id) {
        super("project " + project + " has no notification target " + id);
    }
}
