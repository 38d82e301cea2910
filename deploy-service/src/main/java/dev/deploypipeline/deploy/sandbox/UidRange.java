package dev.deploypipeline.deploy.sandbox;

/**
 * The uids builds run as, {@code first-last}: numbers no user or service of the machine has, so a build owns
 * nothing but its own folder. Read from {@code BUILD_UIDS}.
 */
public record UidRange(int first, int last) {

    public UidRange {
        if (first < 1000 || last < first) {
            throw new IllegalArgumentException(
                    "BUILD_UIDS must be first-last, with 1000 <= first <= last: " + first + "-" + last);
        }
    }

    /** {@code 900000000-900000999}; Spring finds this factory method to convert the setting's text. */
    public static UidRange valueOf(String text) {
        String[] parts = text.strip().split("-", -1);
        try {
            if (parts.length == 2) {
                return new UidRange(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("BUILD_UIDS must be first-last, like 900000000-900000999: " + text);
    }

    int size() {
        return last - first + 1;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
