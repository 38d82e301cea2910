package dev.deploypipeline.upload.queue;

import dev.deploypipeline.deployment.DeploymentEvent;
import dev.deploypipeline.deployment.DeploymentEvents;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * What the queue did in the last hour, worked out from the {@code deployment-events} stream alone (no samples are
 * kept): how many builds ended each way, the queue's length minute by minute (the length now, with the moves
 * undone one by one back through the hour) and how long each build that ended took (from its move to
 * {@code building} to its end).
 */
@Component
class QueueActivity {

    static final Duration WINDOW = Duration.ofHours(1);
    static final Duration STEP = Duration.ofMinutes(1);
    /** Builds that ended in the window may have started before it: their start is looked for this far back. */
    private static final Duration LONGEST_BUILD = Duration.ofHours(1);
    /** The stream keeps about the newest 10000 moves. */
    private static final int MAX_EVENTS = 10_000;

    private final DeploymentEvents events;
    private final Clock clock;

    QueueActivity(DeploymentEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** The last hour, given the queue's length now. */
    LastHour lastHour(long waitingNow) {
        Instant now = clock.instant();
        Instant from = now.minus(WINDOW);
        List<DeploymentEvent> moves = events.since(from.minus(LONGEST_BUILD), MAX_EVENTS);
        Map<DeploymentState, Integer> ended = new EnumMap<>(DeploymentState.class);
        Map<DeploymentId, Instant> started = new HashMap<>();
        List<BuildTime> builds = new ArrayList<>();
        for (DeploymentEvent move : moves) {
            if (move.siteMove().isPresent()) {
                continue; // a site that moved, not a build that ended
            }
            if (move.state() == DeploymentState.BUILDING) {
                started.put(move.id(), move.at());
            } else if (move.state().isFinal() && !move.at().isBefore(from)) {
                ended.merge(move.state(), 1, Integer::sum);
                Instant start = started.remove(move.id());
                if (start != null) {
                    builds.add(new BuildTime(
                            move.id().value(),
                            move.state().word(),
                            move.at(),
                            Duration.between(start, move.at()).toMillis() / 1000.0));
                }
            }
        }
        return new LastHour(
                count(ended, DeploymentState.DEPLOYED),
                count(ended, DeploymentState.FAILED),
                count(ended, DeploymentState.CANCELLED),
                lengths(moves, waitingNow, from, now),
                builds);
    }

    /** The queue's length at each minute of the window, oldest first, ending with now. */
    private static List<QueueLength> lengths(List<DeploymentEvent> moves, long waitingNow, Instant from, Instant now) {
        List<QueueLength> lengths = new ArrayList<>();
        long length = waitingNow;
        int next = moves.size() - 1;
        for (Instant at = now; !at.isBefore(from); at = at.minus(STEP)) {
            while (next >= 0 && moves.get(next).at().isAfter(at)) {
                length -= moves.get(next).queueChange();
                next--;
            }
            lengths.add(0, new QueueLength(at, Math.max(0, length)));
        }
        return lengths;
    }

    private static int count(Map<DeploymentState, Integer> ended, DeploymentState state) {
        return ended.getOrDefault(state, 0);
    }

    /** Builds that ended in the last hour, by how, with the queue's length and the builds' durations. */
    record LastHour(int deployed, int failed, int cancelled, List<QueueLength> queueLength, List<BuildTime> builds) {}

    record QueueLength(Instant at, long length) {}

    /** One build that ended: its id, how it ended, when, and how many seconds it took. */
    record BuildTime(String id, String state, Instant finishedAt, double seconds) {}
}
