package dev.deploypipeline.upload.notifications;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * What a target can be told, read from the {@code deployment-events} stream: a deployment's moves, and its
 * project's site (or a branch's preview) moving to it ({@code promoted}) or back to it ({@code rolled_back}), which
 * the alias moves write to the same stream with {@code move}, {@code site} and {@code pinned}.
 */
enum NotificationEvent {
    CREATED("deployment.created"),
    BUILDING("deployment.building"),
    SUCCEEDED("deployment.succeeded"),
    FAILED("deployment.failed"),
    CANCELLED("deployment.cancelled"),
    PROMOTED("deployment.promoted"),
    ROLLED_BACK("deployment.rolled_back");

    private final String word;

    NotificationEvent(String word) {
        this.word = word;
    }

    String word() {
        return word;
    }

    static Optional<NotificationEvent> fromWord(String word) {
        return Arrays.stream(values()).filter(e -> e.word.equals(word)).findFirst();
    }

    /**
     * The event an entry of {@code deployment-events} tells, if any: a site move ({@code move} {@code promoted} or
     * {@code rolled_back}, beside the deployment's unchanged state), or a move of the deployment's state; a move to
     * {@code uploaded} tells none.
     */
    static Optional<NotificationEvent> of(Map<String, String> entry) {
        String move = entry.getOrDefault("move", "");
        if (!move.isEmpty()) {
            return Optional.ofNullable(
                    switch (move) {
                        case "promoted" -> PROMOTED;
                        case "rolled_back" -> ROLLED_BACK;
                        default -> null;
                    });
        }
        return Optional.ofNullable(
                switch (entry.getOrDefault("state", "")) {
                    case "cloning" -> entry.getOrDefault("previous", "").isEmpty() ? CREATED : null;
                    case "building" -> BUILDING;
                    case "deployed" -> SUCCEEDED;
                    case "failed" -> FAILED;
                    case "cancelled" -> CANCELLED;
                    default -> null;
                });
    }
}
