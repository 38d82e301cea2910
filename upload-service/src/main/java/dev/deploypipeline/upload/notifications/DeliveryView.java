package dev.deploypipeline.upload.notifications;

/**
 * A delivery as {@code GET /projects/{name}/notifications/deliveries} lists it: which target was told what, how it
 * went ({@code pending}, {@code delivered}, {@code failed}), how often it was tried, and the last answer.
 */
record DeliveryView(
        String id,
        String target,
        String type,
        String event,
        String deployment,
        String state,
        int attempts,
        String createdAt,
        String lastAttemptAt,
        Integer lastStatus,
        String lastResponse,
        String lastError,
        String nextAttemptAt,
        String deliveredAt) {

    static DeliveryView of(Delivery delivery) {
        String status = delivery.get("lastStatus");
        return new DeliveryView(
                delivery.id(),
                delivery.target(),
                delivery.get("type"),
                delivery.get("event"),
                delivery.get("deployment"),
                delivery.get("state"),
                delivery.attempts(),
                delivery.get("createdAt"),
                blankAsNull(delivery.get("lastAttemptAt")),
                status == null || status.equals("0") ? null : Integer.valueOf(status),
                blankAsNull(delivery.get("lastResponse")),
                blankAsNull(delivery.get("lastError")),
                blankAsNull(delivery.get("nextAttemptAt")),
                blankAsNull(delivery.get("deliveredAt")));
    }

    private static String blankAsNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
