package dev.deploypipeline.upload.deployments;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The places for log followers: {@code LOG_FOLLOWERS_MAX} in all, {@code LOG_FOLLOWERS_PER_CLIENT} per address.
 * A follower takes one before anything is started for it, and gives it back once when it ends.
 */
final class FollowerSlots {

    static final Duration RETRY_AFTER = Duration.ofSeconds(10);

    private final LogFollowerSettings settings;
    private final Map<String, Integer> byClient = new HashMap<>();
    private int total;

    FollowerSlots(LogFollowerSettings settings) {
        this.settings = settings;
    }

    /** A place for a follower from {@code client}, or {@link TooManyFollowersException}. */
    synchronized Slot take(String client) {
        if (total >= settings.max()) {
            throw new TooManyFollowersException(
                    "LOG_FOLLOWERS_MAX (" + settings.max() + ") logs are followed already; try again shortly",
                    RETRY_AFTER);
        }
        int mine = byClient.getOrDefault(client, 0);
        if (mine >= settings.perClient()) {
            throw new TooManyFollowersException(
                    "this address follows LOG_FOLLOWERS_PER_CLIENT (" + settings.perClient()
                            + ") logs already; close one or try again shortly",
                    RETRY_AFTER);
        }
        byClient.put(client, mine + 1);
        total++;
        return new Slot(client);
    }

    synchronized int taken() {
        return total;
    }

    private synchronized void giveBack(String client) {
        total--;
        byClient.computeIfPresent(client, (address, count) -> count == 1 ? null : count - 1);
    }

    /** One follower's place; {@link #release()} gives it back, once however often it is called. */
    final class Slot {

        private final String client;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(String client) {
            this.client = client;
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                giveBack(client);
            }
        }
    }
}
