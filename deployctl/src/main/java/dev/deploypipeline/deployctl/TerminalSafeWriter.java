package dev.deploypipeline.deployctl;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;
import java.util.regex.Pattern;

/**
 * What the API sends (build logs, errors, branch names, all written by strangers) as a terminal shows it and does
 * nothing else: a colour code (SGR, {@code ESC [ … m}) is dropped, and every other control character but newline
 * and tab, C1 controls and bidirectional overrides too, is written as its {@code \}{@code uXXXX} escape, so no
 * sequence can set the clipboard or the title, move the cursor, or hide a line. JSON keeps its meaning, as that is
 * its own escape.
 */
final class TerminalSafeWriter extends FilterWriter {

    /** The start of a colour code, up to its end; a longer or other sequence is shown, not obeyed. */
    private static final Pattern COLOUR_SO_FAR = Pattern.compile("\u001b(\\[[0-9;:]{0,32})?");

    private final StringBuilder escape = new StringBuilder();

    TerminalSafeWriter(Writer out) {
        super(out);
    }

    @Override
    public void write(int c) throws IOException {
        if (escape.isEmpty()) {
            if (c == 0x1b) {
                escape.append((char) c);
            } else {
                shown((char) c);
            }
            return;
        }
        escape.append((char) c);
        if (c == 'm'
                && escape.length() > 2
                && COLOUR_SO_FAR
                        .matcher(escape.subSequence(0, escape.length() - 1))
                        .matches()) {
            escape.setLength(0); // a whole colour code: dropped
        } else if (!COLOUR_SO_FAR.matcher(escape).matches()) {
            showEscape();
        }
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            write(chars[i]);
        }
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            write(text.charAt(i));
        }
    }

    @Override
    public void close() throws IOException {
        showEscape();
        super.close();
    }

    private void showEscape() throws IOException {
        String begun = escape.toString();
        escape.setLength(0);
        for (int i = 0; i < begun.length(); i++) {
            shown(begun.charAt(i));
        }
    }

    private void shown(char c) throws IOException {
        if (c == '\n' || c == '\t' || !isControl(c)) {
            out.write(c);
        } else {
            out.write(String.format("\\u%04x", (int) c));
        }
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }
}
