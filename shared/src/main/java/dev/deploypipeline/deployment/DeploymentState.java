package dev.deploypipeline.deployment;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a deployment is. The lower-case name is the word stored in the {@code status} hash and
 * answered by the API; states only move forward.
 */
public enum DeploymentState {
    CLONING,
    UPLOADED,
    BUILDING,
    DEPLOYED,
    FAILED,
    CANCELLED;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this == DEPLOYED || this == FAILED || this == CANCELLED;
    }

    public static Optional<DeploymentState> fromWord(String word) {
        return Arrays.stream(values()).filter(state -> state.word().equals(word)).findFirst();
    }

    @Override
    public String toString() {
        return word();
    }
}
