package dev.deploypipeline.deploy.log;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits what a child process prints into lines as it arrives, in bounded memory: a line longer than
 * {@link #MAX_LINE_BYTES} (a minified bundle, a progress bar that never ends its line) is passed on in pieces,
 * each cut between two characters. Invalid UTF-8 becomes replacement characters.
 */
public final class OutputLines {

    public static final int MAX_LINE_BYTES = 4096;

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final Consumer<String> lines;

    private OutputLines(Consumer<String> lines) {
        this.lines = lines;
    }

    /** Reads {@code output} to its end, handing each line, without its line break, to {@code lines}. */
    public static void read(InputStream output, Consumer<String> lines) throws IOException {
        new OutputLines(lines).readAll(output);
    }

    private void readAll(InputStream output) throws IOException {
        byte[] buffer = new byte[8192];
        for (int read = output.read(buffer); read >= 0; read = output.read(buffer)) {
            for (int i = 0; i < read; i++) {
                if (buffer[i] == '\n') {
                    emit(line.toByteArray());
                    line.reset();
                } else {
                    line.write(buffer[i]);
                    if (line.size() >= MAX_LINE_BYTES) {
                        emitPiece();
                    }
                }
            }
        }
        if (line.size() > 0) {
            emit(line.toByteArray());
        }
    }

    /** Passes on the full line up to its last whole character; the rest starts the next piece. */
    private void emitPiece() {
        byte[] bytes = line.toByteArray();
        int last = bytes.length - 1;
        while (last > 0 && (bytes[last] & 0xC0) == 0x80) {
            last--; // back over continuation bytes (10xxxxxx) to the last character's first byte
        }
        boolean lastIsWhole = bytes.length - last >= utf8Length(bytes[last]);
        int cut = lastIsWhole || last == 0 ? bytes.length : last;
        emit(Arrays.copyOf(bytes, cut));
        line.reset();
        line.write(bytes, cut, bytes.length - cut);
    }

    private static int utf8Length(byte lead) {
        if ((lead & 0xE0) == 0xC0) {
            return 2;
        }
        if ((lead & 0xF0) == 0xE0) {
            return 3;
        }
        return (lead & 0xF8) == 0xF0 ? 4 : 1;
    }

    private void emit(byte[] bytes) {
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        lines.accept(new String(bytes, 0, length, StandardCharsets.UTF_8));
    }
}
