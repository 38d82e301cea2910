package dev.deploypipeline.deployment;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A deployment's id: 16 characters of lowercase RFC 4648 base32, so 80 random bits that are safe as a
 * DNS label ({@code {id}.localhost}), a Redis key part and an S3 key part.
 */
public record DeploymentId(String value) {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final int LENGTH = 16;
    private static final Pattern FORMAT = Pattern.compile("[a-z2-7]{" + LENGTH + "}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public DeploymentId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new InvalidDeploymentIdException(value);
        }
    }

    public static DeploymentId random() {
        char[] chars = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            chars[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        }
        return new DeploymentId(new String(chars));
    }

    /** Parses untrusted input (a path, a query, a queue entry) without throwing. */
    public static Optional<DeploymentId> parse(String value) {
        return isValid(value) ? Optional.of(new DeploymentId(value)) : Optional.empty();
    }

    public static boolean isValid(String value) {
        return value != null && FORMAT.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
