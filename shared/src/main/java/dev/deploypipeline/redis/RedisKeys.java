package dev.deploypipeline.redis;

import dev.deploypipeline.deployment.DeploymentId;

/** The names of every Redis key the pipeline uses, behind one optional prefix. */
public record RedisKeys(String prefix) {

    public String queue() {
        return prefix + "build-queue";
    }

    public String processing(String consumer) {
        return queue() + ":processing:" + consumer;
    }

    /** Exists while the consumer lives; it expires when the consumer stops renewing it. */
    public String heartbeat(String consumer) {
        return queue() + ":heartbeat:" + consumer;
    }

    /** Every processing list, as a SCAN pattern. */
    public String processingPattern() {
        return queue() + ":processing:*";
    }

    /** Held by the one replica that reaps at a time. */
    public String reaperLock() {
        return queue() + ":reaper-lock";
    }

    /** Ids given up on after too many attempts, newest at the left. */
    public String deadLetters() {
        return queue() + ":dead";
    }

    public String status() {
        return prefix + "status";
    }

    public String deployment(DeploymentId id) {
        return deploymentPrefix() + id;
    }

    /** What every {@code deployment:{id}} key starts with, for scripts that reach a deployment by its id. */
    public String deploymentPrefix() {
        return prefix + "deployment:";
    }

    /** Sorted set of deployments being fetched, scored by when their fetcher's lease runs out. */
    public String cloningLeases() {
        return prefix + "cloning-leases";
    }

    /** Sorted set of every deployment id, scored by creation time, for listing the newest first. */
    public String deployments() {
        return prefix + "deployments";
    }

    /** Stream of a deployment's build log, one entry per line, while it builds and for a while after. */
    public String buildLog(DeploymentId id) {
        return prefix + "logs:" + id;
    }

    /** Pub/sub channel on which the id of a cancelled deployment is announced to every deploy replica. */
    public String cancellations() {
        return prefix + "cancellations";
    }
}
