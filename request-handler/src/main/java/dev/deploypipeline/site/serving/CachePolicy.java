package dev.deploypipeline.site.serving;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Cache-Control} of a site's file. A file whose name carries a content hash
 * ({@code assets/index-GpEN3EET.js}, {@code static/js/main.3f2a1b9c.chunk.js}) never changes, so browsers
 * and CDNs keep it for a year; everything else, HTML above all, is revalidated with its ETag on every use,
 * so a new deployment shows at once.
 */
final class CachePolicy {

    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String REVALIDATE = "no-cache";

    // name, '-' or '.', a hash of 8 or more letters and digits, then the extension(s)
    private static final Pattern HASHED_NAME = Pattern.compile(".+[-.]([A-Za-z0-9_]{8,})(\\.[A-Za-z0-9]+)+");
    private static final Pattern DIGIT = Pattern.compile("[0-9]");
    private static final Pattern LETTER = Pattern.compile("[A-Za-z]");

    private CachePolicy() {}

    static String of(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.endsWith(".html")) {
            return REVALIDATE;
        }
        Matcher matcher = HASHED_NAME.matcher(name);
        // Digits and letters mixed: a word such as "settings" or "component" is no hash, and a wrong guess
        // would pin a changing file in browsers for a year; a hash with no digit only costs a revalidation.
        return matcher.matches()
                        && DIGIT.matcher(matcher.group(1)).find()
                        && LETTER.matcher(matcher.group(1)).find()
                ? IMMUTABLE
                : REVALIDATE;
    }
}
