package dev.deploypipeline.upload.notifications;

import java.util.Set;

/**
 * Where a project's notices go, as kept in Redis.
 *
 * @param url the webhook's or Slack's URL; for GitHub the repository whose commits get statuses
 * @param secret the webhook's HMAC key; never shown
 * @param token GitHub's token; never shown
 * @param events the events it is sent
 * @param createdAt when it was added, as ISO-8601
 */
record NotificationTarget(
        String id,
        String project,
        TargetType type,
        String url,
        String secret,
        String token,
        Set<NotificationEvent> events,
        String createdAt) {

    NotificationTarget {
        events = Set.copyOf(events);
    }

    boolean wants(NotificationEvent event) {
        return events.contains(event);
    }

    /** Its member of {@code notification-queue:due}: the project and the id. */
    String queueMember() {
        return project + ":" + id;
    }
}
