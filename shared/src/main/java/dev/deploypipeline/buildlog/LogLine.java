package dev.deploypipeline.buildlog;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** One line of a build's log: when it was printed, and the text without its line break. */
public record LogLine(Instant time, String text) {

    // Fixed width, to the millisecond, so a log's lines line up and sort as text.
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public LogLine {
        time = time.truncatedTo(ChronoUnit.MILLIS);
    }

    /** As the log shows it: {@code 2026-11-22T15:50:00.123Z text}. */
    @Override
    public String toString() {
        return formattedTime() + " " + text;
    }

    String formattedTime() {
        return TIME.format(time);
    }
}
