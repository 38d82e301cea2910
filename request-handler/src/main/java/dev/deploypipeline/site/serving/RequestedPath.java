package dev.deploypipeline.site.serving;

import dev.deploypipeline.storage.RelativePath;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.web.util.UriUtils;

/**
 * The path a request asks for inside a site, decoded exactly once and checked so that it cannot leave the
 * site: no {@code .} or {@code ..} segment (encoded or not), no empty segment, no backslash, no control
 * character, and no encoded slash or backslash, which would make one segment look like two.
 *
 * @param value relative to the site's root: {@code ""} for the root, {@code docs/} for a folder
 */
record RequestedPath(String value) {

    private static final Pattern ENCODED_SEPARATOR = Pattern.compile("%(2f|5c)", Pattern.CASE_INSENSITIVE);
    private static final String INDEX = "index.html";
    /** S3 refuses a longer key (400 KeyTooLong). */
    private static final int MAX_KEY_BYTES = 1024;

    /** Parses the raw, still encoded path of a request ({@code getRequestURI()}); empty when it is unsafe. */
    static Optional<RequestedPath> parse(String rawPath) {
        if (rawPath == null
                || !rawPath.startsWith("/")
                || ENCODED_SEPARATOR.matcher(rawPath).find()) {
            return Optional.empty();
        }
        return decode(rawPath.substring(1)).flatMap(RequestedPath::checked);
    }

    /**
     * Percent-decodes to bytes, then reads them as strict UTF-8: malformed or overlong sequences (such as
     * {@code %c0%ae}, an old spelling of {@code .}) are refused rather than replaced.
     */
    private static Optional<String> decode(String raw) {
        try {
            byte[] bytes = UriUtils.decode(raw, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.ISO_8859_1);
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(bytes))
                    .toString());
        } catch (IllegalArgumentException | CharacterCodingException malformed) {
            return Optional.empty();
        }
    }

    private static Optional<RequestedPath> checked(String decoded) {
        if (decoded.isEmpty()) {
            return Optional.of(new RequestedPath(""));
        }
        String withoutTrailingSlash = decoded.endsWith("/") ? decoded.substring(0, decoded.length() - 1) : decoded;
        return RelativePath.isSafe(withoutTrailingSlash) ? Optional.of(new RequestedPath(decoded)) : Optional.empty();
    }

    boolean isFolder() {
        return value.isEmpty() || value.endsWith("/");
    }

    /** The file this path names: a folder's {@code index.html}. */
    String file() {
        return isFolder() ? value + INDEX : value;
    }

    /** The index of the folder this path would name with a slash at its end. */
    String asFolderIndex() {
        return value + "/" + INDEX;
    }

    /** Whether the key of the file this path names under {@code root} fits S3's limit of 1024 UTF-8 bytes. */
    boolean fitsUnder(String root) {
        return fits(root + file());
    }

    /**
     * Whether this path, without its slash, may name a folder under {@code root}: the folder's {@code index.html}
     * would be a key within S3's limit. A longer one cannot have been stored, so it is not looked for.
     */
    boolean mayNameFolderUnder(String root) {
        return !isFolder() && fits(root + asFolderIndex());
    }

    private static boolean fits(String key) {
        return key.getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_BYTES;
    }
}
