package dev.deploypipeline.queue;

import dev.deploypipeline.deployment.DeploymentId;
import java.time.Duration;
import java.util.Optional;

/** One worker's end of the queue. Not thread-safe: one thread owns it. */
public interface QueueConsumer extends AutoCloseable {

    String name();

    /**
     * Waits up to {@code block} for the oldest waiting id and moves it to this consumer's processing list.
     * An id already in that list (taken, never finished) is returned first. Empty when nothing arrived in time.
     */
    Optional<DeploymentId> take(Duration block);

    /** The id is finished, whatever the outcome: it leaves the processing list. */
    void done(DeploymentId id);

    /**
     * Hands an id this consumer took back to the queue, at the end that is taken next, waiting again
     * ({@code uploaded}) unless it has finished meanwhile. Used when a replica stops before the build ends.
     */
    void giveBack(DeploymentId id);

    @Override
    void close();
}
