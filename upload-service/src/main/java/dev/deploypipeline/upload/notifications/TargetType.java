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
    /** A commit status tells how a commit's deployment went; the site moving is not about the commit. */
    GITHUB(EnumSet.of(
            NotificationEvent.CREATED,
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
