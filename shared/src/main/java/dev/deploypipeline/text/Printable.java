package dev.deploypipeline.text;

/**
 * A stranger's text (a file name from a repository or a build) made safe to put in a line of a service's own log:
 * each control or format character (a line break, a terminal escape, a bidi override) and each backslash is written
 * as a backslash, {@code u} and four hex digits, so the text can neither end the line, forge another, nor restyle the
 * terminal that shows it.
 */
public final class Printable {

    private Printable() {}

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
