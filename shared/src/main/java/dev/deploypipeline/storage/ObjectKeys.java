package dev.deploypipeline.storage;

import dev.deploypipeline.deployment.DeploymentId;

/** The bucket's layout: {@code output/{id}/} sources, {@code dist/{id}/} the built site, {@code logs/{id}.log}. */
public final class ObjectKeys {

    private ObjectKeys() {}

    public static String sources(DeploymentId id) {
        return "output/" + id + "/";
    }

    public static String site(DeploymentId id) {
        return "dist/" + id + "/";
    }

    public static String log(DeploymentId id) {
        return "logs/" + id + ".log";
    }
}
