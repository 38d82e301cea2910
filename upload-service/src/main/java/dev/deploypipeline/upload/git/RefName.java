package dev.deploypipeline.upload.git;

import dev.deploypipeline.upload.problems.InvalidRequestException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;

/** A branch or tag name as a user gives it ({@code main}, {@code v1.2}, {@code refs/heads/main}). */
public final class RefName {

    private RefName() {}

    /** The name, or {@code null} when none was given; a 400 when git would not accept it as a ref. */
    public static String checked(String ref, String field) {
        if (ref == null || ref.isBlank()) {
            return null;
        }
        String name = ref.startsWith(Constants.R_REFS) ? ref : Constants.R_HEADS + ref;
        if (ref.startsWith("-") || ref.length() > 255 || !Repository.isValidRefName(name)) {
            throw new InvalidRequestException(field + " is not a valid branch or tag name");
        }
        return ref;
    }
}
