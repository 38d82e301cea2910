package dev.deploypipeline.deploy.builder;

/** The build was stopped from outside (its deployment was cancelled) and its processes were killed. */
public class BuildStoppedException extends RuntimeException {

    public BuildStoppedException(String reason) {
        super(reason);
    }
}
