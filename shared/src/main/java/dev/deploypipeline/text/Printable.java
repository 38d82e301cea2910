package dev.deploypipeline.text;

/**
 * A stranger's text (a file name from a repository or a build) made safe to put in a line of a service's own log:
 * each control or format character (a line break, a terminal escape, a bidi override) and each backslash is written
 * as a backslash, {@code u} and four hex digits, so the text can neither end the line, forge another, nor restyle the
 * terminal that shows it.
 */
public final class Printable {

    private Printable() {}

    /**
     * The text with what could end its line or forge another written as {@link #of} writes it: line breaks and the
     * other control and format characters but the tab, which keeps its place. Backslashes stay as they are, so a
     * service's own messages read as written; only a stranger's part of them could hold these characters.
     */
    public static String oneLine(String text) {
        if (text.codePoints().noneMatch(Printable::breaksTheLine)) {
            return text;
        }
        StringBuilder line = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            if (breaksTheLine(c)) {
                line.append(String.format("\\u%04x", c));
            } else {
                line.appendCodePoint(c);
            }
        });
        return line.toString();
    }

    private static boolean breaksTheLine(int c) {
        int type = Character.getType(c);
        return c != '\t'
                && (type == Character.CONTROL
                        || type == Character.FORMAT
                        || type == Character.LINE_SEPARATOR
                        || type == Character.PARAGRAPH_SEPARATOR);
    }

    public static String of(String text) {
        StringBuilder printable = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT || c == '\\') {
                printable.append(String.format("\\u%04x", c));
            } else {
                printable.appendCodePoint(c);
            }
        });
        return printable.toString();
    }
}
