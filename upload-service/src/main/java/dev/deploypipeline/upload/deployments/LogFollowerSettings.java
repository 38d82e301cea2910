package dev.deploypipeline.upload.deployments;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How many may follow build logs live at once ({@code LOG_FOLLOWERS_MAX}, {@code LOG_FOLLOWERS_PER_CLIENT}); a
 * follower past either is answered 429. Replays of ended deployments' logs count too.
 *
 * @param max followers of all logs together
 * @param perClient followers from one address ({@code request.getRemoteAddr()}: behind a proxy, the proxy's
 *     unless the service is told to trust its forwarded headers)
 * @param buffer the most of a log that may wait for one follower ({@code LOG_FOLLOWERS_BUFFER}), and of the
 *     moves for one watcher of {@code GET /events}; past it, a follower gets no more lines until it has taken
 *     half, a watcher is let go
 */
@ConfigurationProperties("log.followers")
public record LogFollowerSettings(
        @DefaultValue("200") int max,
        @DefaultValue("10") int perClient,
        @DefaultValue("256KB") DataSize buffer) {

    /** Room for a few of the longest lines a build prints (4 KB each). */
    static final DataSize SMALLEST_BUFFER = DataSize.ofKilobytes(16);

    public LogFollowerSettings {
        if (max < 1 || perClient < 1) {
            throw new IllegalArgumentException("LOG_FOLLOWERS_MAX and LOG_FOLLOWERS_PER_CLIENT must be at least 1");
        }
        if (buffer.compareTo(SMALLEST_BUFFER) < 0) {
            throw new IllegalArgumentException("LOG_FOLLOWERS_BUFFER must be at least " + SMALLEST_BUFFER);
        }
    }
}
