package dev.deploypipeline.queue;

import dev.deploypipeline.deployment.DeploymentId;
import java.util.List;
import java.util.OptionalLong;

/**
 * The build queue: ids are added at one end, by the moves of {@code DeploymentTransitions} alone (a deployment is
 * queued in the same step as its state says it waits, and leaves the queue only by a move too: a cancel, or a
 * consumer taking it), and consumers take the oldest from the other, first in first out. Each consumer moves what
 * it takes into a processing list of its own, so nothing is lost if it dies.
 */
public interface DeploymentQueue {

    /** How many ids are waiting. */
    long length();

    /** How many ids are ahead of this one, or empty when it is not waiting. */
    OptionalLong position(DeploymentId id);

    /** The first {@code limit} ids waiting, the next to be built first. */
    List<DeploymentId> waiting(int limit);

    /** A consumer with a connection of its own; the name must be unique among live consumers. */
    QueueConsumer consumer(String name);
}
