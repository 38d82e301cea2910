package dev.deploypipeline.upload.notifications;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The kinds of target, each with the events it is sent when the target names none. */
enum TargetType {
    WEBHOOK(EnumSet.allOf(NotificationEvent.class)),
    SLACK(EnumSet.allOf(NotificationEvent.class)),
    /**
     * A commit status tells how a commit's build went: pending from its start. The site moving is not about the
     * commit, and at {@code created} the commit is not known yet (a status is sent only once it is).
     */
    GITHUB(EnumSet.of(
            NotificationEvent.BUILDING,
            NotificationEvent.SUCCEEDED,
            NotificationEvent.FAILED,
            NotificationEvent.CANCELLED));

    private final Set<NotificationEvent> defaultEvents;

    TargetType(Set<NotificationEvent> defaultEvents) {
        this.defaultEvents = defaultEvents;
    }

    Set<NotificationEvent> defaultEvents() {
        return defaultEvents;
    }

    String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<TargetType> fromWord(String word) {
        return Arrays.stream(values()).filter(t -> t.word().equals(word)).findFirst();
    }
}
