package dev.deploypipeline.deploy.log;

import dev.deploypipeline.buildlog.LogLine;
import dev.deploypipeline.deploy.SettingFormat;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.springframework.util.unit.DataSize;

/**
 * A build's log: every line its commands print and the service's own lines about it, each with the time,
 * written to a file (stored as {@code logs/{id}.log} when the build ends) and sent live to {@code logs:{id}}.
 * Both are capped at {@code BUILD_LOG_MAX_SIZE}: past it lines are left out, a note says where, and when the
 * log is closed another note says how much was left out, followed by the last lines, where a failure's
 * cause usually is. Lines are written as they come; nothing holds the whole log. Every line is masked before it is
 * written or sent: the service's secrets from the start, the build's own from when they are known ({@link #hide}),
 * so neither the file nor the stream ever holds a secret's value.
 */
public final class BuildLog implements AutoCloseable {

    static final int TAIL_LINES = 20;
    // The last lines and two notes, which come after the cut, must fit under the cap too.
    private static final long TAIL_RESERVE = TAIL_LINES * (OutputLines.MAX_LINE_BYTES + 32L) + 1024;

    private final Path file;
    private final OutputStream output;
    private final Optional<LiveLog> live;
    private final Clock clock;
    private final DataSize maxSize;
    private final long budget;
    private final Deque<LogLine> tail = new ArrayDeque<>(TAIL_LINES);
    private long written;
    private long leftOutLines;
    private long leftOutBytes;
    private boolean cut;
    private boolean closed;
    private SecretMask mask;

    BuildLog(Path file, Optional<LiveLog> live, Clock clock, DataSize maxSize, SecretMask mask) throws IOException {
        this.file = file;
        this.output = new BufferedOutputStream(Files.newOutputStream(file));
        this.live = live;
        this.clock = clock;
        this.maxSize = maxSize;
        this.budget = maxSize.toBytes() > 2 * TAIL_RESERVE ? maxSize.toBytes() - TAIL_RESERVE : maxSize.toBytes() / 2;
        this.mask = mask;
    }

    /** A log kept in its file only, not streamed live. */
    public static BuildLog fileOnly(Path file, Clock clock, DataSize maxSize) throws IOException {
        return new BuildLog(file, Optional.empty(), clock, maxSize, SecretMask.NONE);
    }

    public Path file() {
        return file;
    }

    /** Adds a line, or several when {@code text} holds line breaks. */
    public synchronized void line(String text) {
        for (String line : text.split("\n", -1)) {
            add(new LogLine(clock.instant(), mask.apply(line)));
        }
    }

    /** Hides these values too (a build's variables), in every line from now on and in {@link #masked}. */
    public synchronized void hide(Collection<String> secrets) {
        mask = mask.and(secrets);
    }

    /** {@code text} (a failure's reason, say) with every secret this log hides masked. */
    public synchronized String masked(String text) {
        return mask.apply(text);
    }

    /** The texts of the last lines, however much was cut, for a failure's reason. */
    public synchronized List<String> lastLines() {
        return tail.stream().map(LogLine::text).toList();
    }

    private void add(LogLine line) {
        if (tail.size() == TAIL_LINES) {
            tail.removeFirst();
        }
        tail.addLast(line);
        byte[] bytes = bytes(line);
        if (!cut && written + bytes.length > budget) {
            cut = true;
            write(new LogLine(
                    line.time(),
                    "[the log passed BUILD_LOG_MAX_SIZE (" + SettingFormat.size(maxSize)
                            + "): the lines after this one are left out, and the last " + TAIL_LINES
                            + " follow at the end]"));
        }
        if (cut) {
            leftOutLines++;
            leftOutBytes += bytes.length;
            return;
        }
        write(line, bytes);
    }

    private void write(LogLine line) {
        write(line, bytes(line));
    }

    private void write(LogLine line, byte[] bytes) {
        try {
            output.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        written += bytes.length;
        live.ifPresent(stream -> stream.send(line));
    }

    private static byte[] bytes(LogLine line) {
        return (line + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Writes out what the log holds so far, so its file can be stored before the log ends. */
    public synchronized void flush() throws IOException {
        if (!closed) {
            output.flush();
        }
    }

    /** Whether lines were left out, which {@link #close} sums up at the end of the file. */
    public synchronized boolean isCut() {
        return cut;
    }

    /** Ends the log: after a cut, says how much was left out and adds the last lines; then the file is complete. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (cut) {
                long shownAgain = Math.min(tail.size(), leftOutLines);
                write(new LogLine(
                        clock.instant(),
                        "[" + leftOutLines + " lines (" + leftOutBytes / 1024 + " KB) were left out; the last "
                                + shownAgain + " of them follow]"));
                tail.stream().skip(tail.size() - shownAgain).forEach(this::write);
            }
            output.close();
        } finally {
            live.ifPresent(LiveLog::close);
        }
    }
}
