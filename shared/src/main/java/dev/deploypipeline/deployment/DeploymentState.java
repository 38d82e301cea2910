package dev.deploypipeline.deployment;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a deployment is. The lower-case name is the word stored in the {@code status} hash and answered by the
 * API. {@link Move} is the one table of the moves a deployment may make: every transition script is told its
 * states from there, so no script or caller decides on its own where a deployment may go.
 */
public enum DeploymentState {
    CLONING,
    UPLOADED,
    BUILDING,
    DEPLOYED,
    FAILED,
    CANCELLED;

    /**
     * Every move a deployment may make, and the states it may make it from. Forward only, but for three steps
     * back that are not the deployment's doing: a build handed back by a replica that stops, or put back by the
     * reaper, waits again; a delivery built again starts again; an operator queues a dead letter again.
     */
    public enum Move {
        /** Its sources are in S3 and it is queued. */
        UPLOAD(UPLOADED, CLONING),
        /** A builder took it; a re-delivered one starts again, and the newest builder owns it. */
        START(BUILDING, UPLOADED, BUILDING),
        /** Its builder stopped before the end (a shutdown, a crash): it waits to be built again. */
        GIVE_BACK(UPLOADED, BUILDING, UPLOADED),
        /** Its site is published. */
        DEPLOY(DEPLOYED, BUILDING),
        /** It cannot finish: too many attempts, or an operator's or a test's doing. */
        FAIL(FAILED, CLONING, UPLOADED, BUILDING),
        /** Its build failed: only by the builder that owns it, so a replaced builder cannot fail the new build. */
        FAIL_BUILD(FAILED, BUILDING),
        /**
         * Its fetch, or the upload of its sources, failed or was abandoned: only while it is cloning, so one that was
         * queued meanwhile (a lapsed lease's fetch that went on, an upload whose reply was lost) is not failed.
         */
        FAIL_FETCH(FAILED, CLONING),
        /** Cancelled on request: it is stopped wherever it is. */
        CANCEL(CANCELLED, CLONING, UPLOADED, BUILDING),
        /** Replaced by a newer push before it started building. */
        SUPERSEDE(CANCELLED, CLONING, UPLOADED),
        /** An operator queues a dead letter again. */
        REQUEUE(UPLOADED, FAILED);

        private final DeploymentState to;
        private final Set<DeploymentState> from;

        Move(DeploymentState to, DeploymentState first, DeploymentState... rest) {
            this.to = to;
            this.from = EnumSet.of(first, rest);
        }

        public DeploymentState to() {
            return to;
        }

        public Set<DeploymentState> from() {
            return from;
        }

        /** The words of the states it may be made from, for a script's arguments. */
        public List<String> fromWords() {
            return from.stream().map(DeploymentState::word).toList();
        }
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this == DEPLOYED || this == FAILED || this == CANCELLED;
    }

    /** Whether some move takes a deployment in this state to {@code next}. */
    public boolean canMoveTo(DeploymentState next) {
        return Arrays.stream(Move.values())
                .anyMatch(move -> move.to() == next && move.from().contains(this));
    }

    public static Optional<DeploymentState> fromWord(String word) {
        return Arrays.stream(values())
                .filter(state -> state.word().equals(word))
                .findFirst();
    }

    @Override
    public String toString() {
        return word();
    }
}
