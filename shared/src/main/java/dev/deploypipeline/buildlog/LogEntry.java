package dev.deploypipeline.buildlog;

/**
 * An entry of a log's stream, with the stream's id for it (the place to read on from): a line, or the mark that
 * the log has ended, which has no line.
 */
public record LogEntry(String id, LogLine line) {

    static LogEntry end(String id) {
        return new LogEntry(id, null);
    }

    /** Whether this is the mark that the build's log has ended: no line follows it. */
    public boolean isEnd() {
        return line == null;
    }
}
