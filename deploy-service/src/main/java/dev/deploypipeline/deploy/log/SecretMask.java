package dev.deploypipeline.deploy.log;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Hides secrets in what leaves a build, as GitHub Actions does: every form of each secret becomes {@code ***}. The
 * forms are the value itself; each line of a value of several lines; its standard and URL-safe base64, also as it
 * shows inside a longer base64 text (at each of the three byte alignments, without the characters at its edges
 * that depend on the bytes around it); and its URL encoding (spaces as {@code +} and as {@code %20}). A value
 * shorter than {@link #MIN_LENGTH} characters is left alone: hiding every {@code 1} or {@code dev} would hide the
 * log rather than a secret. A text is scanned once, whatever the number of forms: they are looked up by their
 * first {@link #MIN_LENGTH} characters.
 */
public final class SecretMask {

    public static final String MASK = "***";
    public static final int MIN_LENGTH = 4;
    public static final SecretMask NONE = new SecretMask(Set.of());

    private final Set<String> secrets;
    private final Map<Long, List<String>> formsByStart = new HashMap<>();

    private SecretMask(Set<String> secrets) {
        this.secrets = secrets;
        secrets.stream()
                .flatMap(SecretMask::forms)
                .distinct()
                .forEach(form -> formsByStart
                        .computeIfAbsent(start(form, 0), start -> new ArrayList<>())
                        .add(form));
    }

    public static SecretMask of(Collection<String> secrets) {
        return NONE.and(secrets);
    }

    /** This mask, hiding {@code more} too. */
    public SecretMask and(Collection<String> more) {
        Set<String> all = new LinkedHashSet<>(secrets);
        more.stream()
                .filter(value -> value != null && value.length() >= MIN_LENGTH)
                .forEach(all::add);
        return all.size() == secrets.size() ? this : new SecretMask(Set.copyOf(all));
    }

    /** The text with every form of every secret replaced by {@link #MASK}; overlapping ones become one. */
    public String apply(String text) {
        if (formsByStart.isEmpty() || text.length() < MIN_LENGTH) {
            return text;
        }
        StringBuilder masked = null;
        int copiedUpTo = 0;
        int hiddenUpTo = -1;
        for (int i = 0; i + MIN_LENGTH <= text.length(); i++) {
            int end = longestAt(text, i);
            if (end < 0) {
                continue;
            }
            if (i >= hiddenUpTo) {
                masked = masked == null ? new StringBuilder(text.length()) : masked;
                masked.append(text, copiedUpTo, i).append(MASK);
            }
            hiddenUpTo = Math.max(hiddenUpTo, end);
            copiedUpTo = hiddenUpTo;
        }
        return masked == null
                ? text
                : masked.append(text, Math.min(copiedUpTo, text.length()), text.length())
                        .toString();
    }

    /** The end of the longest form that starts at {@code i}, or -1. */
    private int longestAt(String text, int i) {
        List<String> candidates = formsByStart.get(start(text, i));
        if (candidates == null) {
            return -1;
        }
        int end = -1;
        for (String form : candidates) {
            if (text.startsWith(form, i)) {
                end = Math.max(end, i + form.length());
            }
        }
        return end;
    }

    /** The first {@link #MIN_LENGTH} characters from {@code i}, as one number. */
    private static long start(String text, int i) {
        return (long) text.charAt(i) << 48
                | (long) text.charAt(i + 1) << 32
                | (long) text.charAt(i + 2) << 16
                | text.charAt(i + 3);
    }

    private static Stream<String> forms(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        secret.lines().map(String::strip).forEach(forms::add);
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
            for (int offset = 0; offset < 3; offset++) {
                forms.add(insideBase64(encoder, bytes, offset));
            }
        }
        String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        forms.add(encoded);
        forms.add(encoded.replace("+", "%20"));
        return forms.stream().filter(form -> form.length() >= MIN_LENGTH);
    }

    /**
     * The characters that encode {@code bytes} when they start {@code offset} bytes into a group of three: those
     * of the bytes alone, without the first ones that share bits with the bytes before, nor a last one that shares
     * bits with the bytes after.
     */
    private static String insideBase64(Base64.Encoder encoder, byte[] bytes, int offset) {
        byte[] aligned = new byte[offset + bytes.length];
        System.arraycopy(bytes, 0, aligned, offset, bytes.length);
        String encoded = encoder.withoutPadding().encodeToString(aligned);
        int first = (8 * offset + 5) / 6;
        int last = 8 * (offset + bytes.length) / 6;
        return first < last ? encoded.substring(first, last) : "";
    }
}
