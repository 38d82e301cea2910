package dev.deploypipeline.redis;

/**
 * The name of every Redis key and channel the pipeline uses, behind one optional prefix; the README's table of
 * keys lists the same. Ids and names come as text, so this package knows nothing of deployments or projects.
 */
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

    /** Every heartbeat, as a SCAN pattern. */
    public String heartbeatPattern() {
        return heartbeat("*");
    }

    /** The consumer a heartbeat belongs to. */
    public String consumerOfHeartbeat(String heartbeatKey) {
        return heartbeatKey.substring(heartbeat("").length());
    }

    /** Every processing list, as a SCAN pattern. */
    public String processingPattern() {
        return processing("*");
    }

    /** The consumer a processing list belongs to. */
    public String consumerOf(String processingList) {
        return processingList.substring(processing("").length());
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

    public String deployment(String id) {
        return prefix + "deployment:" + id;
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
    public String buildLog(String id) {
        return prefix + "logs:" + id;
    }

    /**
     * Stream of every move of every deployment (id, state, previous, project), trimmed to about the newest 10000:
     * what the dashboard's live views and the notifications read.
     */
    public String deploymentEvents() {
        return prefix + "deployment-events";
    }

    /** Pub/sub channel on which the id of a cancelled deployment is announced to every deploy replica. */
    public String cancellations() {
        return prefix + "cancellations";
    }

    /** Sorted set of every project's name, scored by creation time. */
    public String projects() {
        return prefix + "projects";
    }

    /** Hash of a project's settings. */
    public String project(String name) {
        return prefix + "project:" + name;
    }

    /** Sorted set of a project's deployment ids, scored by creation time: its history. */
    public String projectHistory(String name) {
        return project(name) + ":deployments";
    }

    /** Hash of project name to the deployment its site serves; also the channel on which each move is announced. */
    public String aliases() {
        return prefix + "aliases";
    }

    /** Hash of project name to the deployment a rollback pinned its site to; no entry while the site moves forward. */
    public String aliasPins() {
        return prefix + "alias-pins";
    }

    /** Hash of a project's preview labels ({@code {branch}--{project}}) to the branch that holds each. */
    public String previews(String project) {
        return project(project) + ":previews";
    }

    /** Hash of a deploy hook's id, project and creation time, keyed by the SHA-256 of its secret. */
    public String hook(String sha256) {
        return prefix + "hook:" + sha256;
    }

    /** Hash of a project's deploy hook ids to the SHA-256 of their secrets, to list and revoke them. */
    public String projectHooks(String project) {
        return project(project) + ":hooks";
    }

    /** Counter of a deploy hook's calls in the current window of its rate limit, expiring with the window. */
    public String hookCalls(String hookId) {
        return prefix + "hook-calls:" + hookId;
    }

    /** A GitHub delivery id already handled, for a while. */
    public String githubDelivery(String deliveryId) {
        return prefix + "github-delivery:" + deliveryId;
    }

    /** A push already deployed: repository, ref and the commits it moved between. */
    public String githubPush(String push) {
        return prefix + "github-push:" + push;
    }

    /** Hash of an API token's id, name, scope and projects, keyed by the token's SHA-256. */
    public String token(String sha256) {
        return prefix + "token:" + sha256;
    }

    /** Hash of every API token's id to its SHA-256. */
    public String tokens() {
        return prefix + "tokens";
    }

    /** Sorted set of the names of projects with a schedule, scored by their next run (milliseconds since the epoch). */
    public String schedules() {
        return prefix + "schedules";
    }

    /** Hash of a project's schedule: its cron expression, time zone and last run. */
    public String projectSchedule(String name) {
        return project(name) + ":schedule";
    }

    /** Hash of project name to how many of its newest deployments retention keeps, for projects that chose. */
    public String retention() {
        return prefix + "retention";
    }

    /** Held by the one replica whose retention sweep runs. */
    public String retentionLock() {
        return retention() + ":lock";
    }

    /** The creation time (ms) up to which the sources of ended deployments were removed. */
    public String sourcesSweptUntil() {
        return retention() + ":sources-swept-until";
    }

    /** Sorted set of purged deployment ids, scored by when they were purged. */
    public String purged() {
        return prefix + "purged";
    }

    /** Set of purged deployment ids whose objects in S3 are still to be removed. */
    public String purgePending() {
        return purged() + ":pending";
    }

    /** Hash of a project's notification targets: id to the target (type, URL, secret, events) as JSON. */
    public String notificationTargets(String project) {
        return project(project) + ":notifications";
    }

    /** Sorted set of a project's notification deliveries, scored by when each was made: what the API lists. */
    public String notificationDeliveries(String project) {
        return project(project) + ":notifications:deliveries";
    }

    /** Hash of one notification delivery: its target, event, body, attempts and last answer. */
    public String notificationDelivery(String id) {
        return prefix + "notification:" + id;
    }

    /** List of the deliveries waiting for one target ({@code {project}:{target}}), oldest at the left. */
    public String notificationQueue(String target) {
        return prefix + "notification-queue:" + target;
    }

    /** Sorted set of targets with deliveries waiting, scored by when the first may be sent (or its lease ends). */
    public String notificationsDue() {
        return prefix + "notification-queue:due";
    }

    /** Which sender holds each target with deliveries, until when by Redis's clock. */
    public String notificationLeases() {
        return prefix + "notification-queue:leases";
    }

    /** The {@code deployment-events} entry up to which notifications have been made. */
    public String notificationCursor() {
        return prefix + "notification-fanout:cursor";
    }

    /** Held by the one upload-service that turns deployment events into notifications at a time. */
    public String notificationFanoutLock() {
        return prefix + "notification-fanout:lock";
    }

    /**
     * This installation's secret key (64 hex digits) for the hashes that name the cache scopes of deployments of no
     * project, made once by whichever replica needs it first.
     */
    public String cacheScopeKey() {
        return prefix + "cache-scope-key";
    }

    /** When each dependency cache entry of a scope (its prefix in the bucket) was last saved or restored. */
    public String cacheUsed(String scopePrefix) {
        return prefix + "cache-used:" + scopePrefix;
    }
}
