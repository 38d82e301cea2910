package dev.deploypipeline.upload.access;

import dev.deploypipeline.upload.problems.InvalidRequestException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a token lets its holder do. Each scope includes those below it: {@code read < deploy < admin}. */
public enum Scope {
    /** Records, lists, logs and project settings (never a variable's value). */
    READ,
    /** Deploy, cancel and roll back: of any project, or of the projects the token names. */
    DEPLOY,
    /** Everything: projects, tokens, dead letters. */
    ADMIN;

    public boolean includes(Scope other) {
        return compareTo(other) >= 0;
    }

    /** As the API writes it: {@code read}, {@code deploy}, {@code admin}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The scope a request names, or a 400 that lists them. */
    public static Scope parse(String word) {
        return Arrays.stream(values())
                .filter(scope -> scope.word().equals(word))
                .findFirst()
                .orElseThrow(() -> new InvalidRequestException("scope must be one of "
                        + Arrays.stream(values()).map(Scope::word).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return word();
    }
}
