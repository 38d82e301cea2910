package dev.deploypipeline.upload.notifications;

import java.util.Map;

/**
 * One notice to one target, as kept in its {@code notification:{id}} hash: the event and the deployment it tells
 * of (as the JSON object sent), how often it was tried and what the target answered last.
 */
record Delivery(Map<String, String> fields) {

    static final String PENDING = "pending";
    static final String DELIVERED = "delivered";
    static final String FAILED = "failed";

    Delivery {
        fields = Map.copyOf(fields);
    }

    String id() {
        return fields.get("id");
    }

    String project() {
        return fields.get("project");
    }

    String target() {
        return fields.get("target");
    }

    NotificationEvent event() {
        return NotificationEvent.fromWord(fields.get("event")).orElseThrow();
    }

    /** The deployment as the event tells it, a JSON object. */
    String payload() {
        return fields.get("payload");
    }

    int attempts() {
        return Integer.parseInt(fields.getOrDefault("attempts", "0"));
    }

    String get(String field) {
        return fields.get(field);
    }
}
