package dev.deploypipeline.text;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Names of one kind that a walk over a stranger's files skipped (links, names unsafe as keys), told in one line of
 * the service's log however many there are: how many, and the first few, made {@link Printable}. A repository or a
 * build with half a million of them adds one line, not half a million.
 */
public final class SkippedNames {

    private static final int NAMED = 3;

    private final String what;
    private final List<String> first = new ArrayList<>();
    private int count;

    /** {@code what}: the kind, plural, as the line names it ("symbolic links"). */
    public SkippedNames(String what) {
        this.what = what;
    }

    public void add(String name) {
        if (count++ < NAMED) {
            first.add(Printable.of(name));
        }
    }

    /** One line at INFO, or none when nothing was skipped. */
    public void tell(Logger log) {
        if (count > 0) {
            log.info("Skipped {} {}, among them {}", count, what, first);
        }
    }
}
