package dev.deploypipeline.deployment;

import dev.deploypipeline.redis.RedisConnection;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the {@code deployment-events} stream, which {@link DeploymentTransitions} writes in the same step as each
 * move: the moves since a time (oldest first), and the moves after an entry, waiting for the next ones. Besides the
 * moves of states, the stream tells each site that moved to a deployment ({@link SiteMove}).
 */
public final class DeploymentEvents {

    /** Where a reader starts that wants every entry: before the first. */
    public static final String START = "0-0";

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;

    /** On the process's shared connection: for reads that do not block. */
    public DeploymentEvents(RedisConnector connector) {
        this(connector.shared(), connector.keys());
    }

    /** On a connection of the caller's, which a blocking read holds. */
    public DeploymentEvents(RedisConnection connection, RedisKeys keys) {
        this.redis = connection.sync();
        this.keys = keys;
    }

    /** The moves made since {@code from}, oldest first, at most {@code limit} of them (the oldest if more). */
    public List<DeploymentEvent> since(Instant from, int limit) {
        List<StreamMessage<String, String>> messages =
                redis.xrange(keys.deploymentEvents(), Range.create(from.toEpochMilli() + "-0", "+"), Limit.from(limit));
        return events(messages);
    }

    /** The id of the newest entry, or {@link #START} when there is none: where a reader of what comes next starts. */
    public String newestId() {
        List<StreamMessage<String, String>> newest =
                redis.xrevrange(keys.deploymentEvents(), Range.create("-", "+"), Limit.from(1));
        return newest.isEmpty() ? START : newest.get(0).getId();
    }

    /**
     * Up to {@code count} moves after the entry {@code afterId}, waiting up to {@code block} for a first one (an
     * empty list then). The wait holds the connection: use one of the caller's own.
     */
    public List<DeploymentEvent> readAfter(String afterId, int count, Duration block) {
        List<StreamMessage<String, String>> messages = redis.xread(
                XReadArgs.Builder.count(count).block(block),
                XReadArgs.StreamOffset.from(keys.deploymentEvents(), afterId));
        return messages == null ? List.of() : events(messages);
    }

    private static List<DeploymentEvent> events(List<StreamMessage<String, String>> messages) {
        return messages.stream()
                .map(DeploymentEvents::event)
                .filter(Objects::nonNull)
                .toList();
    }

    /** The entry as a move; {@code null} for one that is not (an id or state this version does not know). */
    private static DeploymentEvent event(StreamMessage<String, String> message) {
        Map<String, String> body = message.getBody();
        Optional<DeploymentId> id = DeploymentId.parse(body.get("id"));
        Optional<DeploymentState> state = DeploymentState.fromWord(body.get("state"));
        if (id.isEmpty() || state.isEmpty()) {
            return null;
        }
        String project = body.getOrDefault("project", "");
        Instant at = Instant.ofEpochMilli(
                Long.parseLong(message.getId().substring(0, message.getId().indexOf('-'))));
        return new DeploymentEvent(
                message.getId(),
                at,
                id.get(),
                state.get(),
                DeploymentState.fromWord(body.getOrDefault("previous", "")),
                project.isEmpty() ? null : project,
                SiteMove.Kind.fromWord(body.get("move"))
                        .map(kind -> new SiteMove(kind, body.get("site"), Boolean.parseBoolean(body.get("pinned")))));
    }
}
