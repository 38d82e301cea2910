package dev.deploypipeline.queue;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.redis.RedisConnection;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A consumer on its own connection, because BLMOVE holds the connection while it blocks. */
final class RedisQueueConsumer implements QueueConsumer {

    private static final Logger log = LoggerFactory.getLogger(RedisQueueConsumer.class);

    private final String name;
    private final DeploymentTransitions transitions;
    private final RedisConnection connection;
    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;
    private final Duration commandTimeout;

    RedisQueueConsumer(RedisConnector connector, DeploymentTransitions transitions, String name) {
        this.name = name;
        this.transitions = transitions;
        this.connection = connector.connect();
        this.redis = connection.sync();
        this.keys = connector.keys();
        this.commandTimeout = connector.settings().commandTimeout();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<DeploymentId> take(Duration block) {
        if (block.compareTo(commandTimeout) >= 0) {
            // The client would give up first and Redis would hand the next id to a request nobody reads.
            throw new IllegalArgumentException(
                    "block " + block + " must be shorter than the command timeout " + commandTimeout);
        }
        // One id at a time: anything already in this consumer's list was taken but never finished (its
        // reply was lost when the connection dropped, or finishing it failed), so it comes first.
        String taken = redis.lindex(keys.processing(name), -1);
        if (taken != null) {
            log.info("Resuming {}, left in this consumer's processing list", taken);
        } else {
            double seconds = Math.max(block.toMillis(), 1) / 1000.0;
            taken = redis.blmove(keys.queue(), keys.processing(name), LMoveArgs.Builder.rightLeft(), seconds);
        }
        if (taken == null) {
            return Optional.empty();
        }
        Optional<DeploymentId> id = DeploymentId.parse(taken);
        if (id.isEmpty()) {
            log.warn(
                    "Dropping a queue entry that is not a deployment id: {}",
                    taken.length() > 40 ? taken.substring(0, 40) : taken);
            redis.lrem(keys.processing(name), 1, taken);
        }
        return id;
    }

    @Override
    public void done(DeploymentId id) {
        redis.lrem(keys.processing(name), 1, id.value());
    }

    @Override
    public void giveBack(DeploymentId id) {
        transitions.giveBack(name, id);
    }

    @Override
    public void close() {
        connection.close();
    }
}
