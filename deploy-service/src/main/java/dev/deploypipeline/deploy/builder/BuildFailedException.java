package dev.deploypipeline.deploy.builder;

/**
 * The build itself went wrong (its command failed, it ran too long, it made no site): the deployment's own
 * fault, not the service's. The message is the reason its owner reads in the deployment's {@code error}.
 */
public class BuildFailedException extends RuntimeException {

    public BuildFailedException(String reason) {
        super(reason);
    }
}
