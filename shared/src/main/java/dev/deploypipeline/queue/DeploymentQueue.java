package dev.deploypipeline.queue;

import dev.deploypipeline.deployment.DeploymentId;
import java.util.OptionalLong;

/**
 * The build queue: producers add at one end, consumers take the oldest from the other, first in first out.
 * Each consumer moves what it takes into a processing list of its own, so nothing is lost if it dies.
 */
public interface DeploymentQueue {

    /** Adds an id behind everything already waiting. */
    void enqueue(DeploymentId id);

    /** How many ids are waiting. */
    long length();

    /** How many ids are ahead of this one, or empty when it is not waiting. */
    OptionalLong position(DeploymentId id);

    /** Takes an id out of the queue if it is still waiting; returns whether it was. */
    boolean remove(DeploymentId id);

    /** A consumer with a connection of its own; the name must be unique among live consumers. */
    QueueConsumer consumer(String name);
}
