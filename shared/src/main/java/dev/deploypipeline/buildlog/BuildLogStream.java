package dev.deploypipeline.buildlog;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.redis.RedisConnection;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A build's log, live, in the Redis stream {@code logs:{id}}: one entry per line with the fields {@code time}
 * and {@code text}, trimmed to about the newest lines so it never grows without bound. The builder appends;
 * anyone reads on from the last entry they saw. The whole log goes to {@code logs/{id}.log} in S3 when the
 * build ends, and the stream expires a while later.
 */
public final class BuildLogStream {

    /** Where a reader starts: before the first entry. */
    public static final String START = "0-0";

    private static final String TIME = "time";
    private static final String TEXT = "text";
    private static final String END = "end";

    private final RedisClusterCommands<String, String> redis;
    private final RedisClusterAsyncCommands<String, String> async;
    private final RedisKeys keys;

    /** On the process's shared connection: for readers, and for occasional writes. */
    public BuildLogStream(RedisConnector connector) {
        this(connector.shared(), connector.keys());
    }

    /**
     * On a connection of the caller's: a builder that floods its log then never holds up the commands of
     * others, and bounds how many of its appends are in flight (the client refuses more than its queue holds).
     */
    public BuildLogStream(RedisConnection connection, RedisKeys keys) {
        this.redis = connection.sync();
        this.async = connection.async();
        this.keys = keys;
    }

    /** Removes what an earlier attempt at the same deployment left, so the stream holds this build only. */
    public void clear(DeploymentId id) {
        redis.del(keys.buildLog(id.value()));
    }

    /**
     * Appends a line without waiting for Redis: lines sent one after another are kept in that order. The stream
     * keeps about the newest {@code maxLines} (Redis trims whole blocks, so a few more may stay).
     */
    public CompletionStage<String> append(DeploymentId id, LogLine line, long maxLines) {
        return async.xadd(
                keys.buildLog(id.value()),
                XAddArgs.Builder.maxlen(maxLines).approximateTrimming(),
                Map.of(TIME, line.formattedTime(), TEXT, line.text()));
    }

    /**
     * Marks the end of the build's log: no line follows. A reader that sees it has every line; the deployment's
     * final state may come a moment later.
     */
    public CompletionStage<String> end(DeploymentId id, long maxLines) {
        return async.xadd(
                keys.buildLog(id.value()),
                XAddArgs.Builder.maxlen(maxLines).approximateTrimming(),
                Map.of(END, "true"));
    }

    /** The stream is removed {@code ttl} from now (a first call makes it outlive a builder that died). */
    public void expire(DeploymentId id, Duration ttl) {
        redis.pexpire(keys.buildLog(id.value()), ttl.toMillis());
    }

    /** As {@link #expire}, without waiting for Redis: sent after an {@link #append}, it applies to what that made. */
    public CompletionStage<Boolean> expireLater(DeploymentId id, Duration ttl) {
        return async.pexpire(keys.buildLog(id.value()), ttl.toMillis());
    }

    /** Up to {@code count} lines after the entry {@code afterId} ({@link #START} for the first ones), oldest first. */
    public List<LogEntry> readAfter(DeploymentId id, String afterId, int count) {
        List<StreamMessage<String, String>> messages = redis.xread(
                XReadArgs.Builder.count(count), XReadArgs.StreamOffset.from(keys.buildLog(id.value()), afterId));
        return messages.stream().map(BuildLogStream::entry).toList();
    }

    /**
     * The same, but waiting up to {@code block} for a first entry when none is there yet (an empty list then).
     * The wait holds the connection: use one of the caller's own, whose command timeout is above {@code block}.
     */
    public List<LogEntry> readAfter(DeploymentId id, String afterId, int count, Duration block) {
        List<StreamMessage<String, String>> messages = redis.xread(
                XReadArgs.Builder.count(count).block(block),
                XReadArgs.StreamOffset.from(keys.buildLog(id.value()), afterId));
        return messages == null
                ? List.of()
                : messages.stream().map(BuildLogStream::entry).toList();
    }

    /** Whether the stream has an entry with this id's shape: {@code millis-sequence}. */
    public static boolean isEntryId(String value) {
        return value != null && value.matches("\\d{1,20}-\\d{1,20}");
    }

    /** Orders two entry ids as the stream does: by time, then by sequence. */
    public static int compareIds(String first, String second) {
        String[] a = first.split("-", 2);
        String[] b = second.split("-", 2);
        int byTime = Long.compareUnsigned(Long.parseUnsignedLong(a[0]), Long.parseUnsignedLong(b[0]));
        return byTime != 0 ? byTime : Long.compareUnsigned(Long.parseUnsignedLong(a[1]), Long.parseUnsignedLong(b[1]));
    }

    private static LogEntry entry(StreamMessage<String, String> message) {
        Map<String, String> body = message.getBody();
        if (body.containsKey(END)) {
            return LogEntry.end(message.getId());
        }
        String time = body.get(TIME);
        return new LogEntry(
                message.getId(),
                new LogLine(time == null ? Instant.EPOCH : Instant.parse(time), body.getOrDefault(TEXT, "")));
    }
}
