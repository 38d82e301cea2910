package dev.deploypipeline.deploy.log;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * How much of a build's log is kept (see application.properties for the variables).
 *
 * @param maxSize the most of a log stored in {@code logs/{id}.log}; past it lines are left out, a note says so,
 *     and the last lines follow at the end ({@code BUILD_LOG_MAX_SIZE})
 * @param streamMaxLines about how many of the newest lines the live stream {@code logs:{id}} keeps
 *     ({@code BUILD_LOG_STREAM_MAX_LINES})
 * @param streamTtl how long the live stream stays after its build ends ({@code BUILD_LOG_STREAM_TTL})
 */
@ConfigurationProperties("deploy.log")
public record LogSettings(DataSize maxSize, int streamMaxLines, Duration streamTtl) {

    public LogSettings {
        maxSize = maxSize != null && maxSize.toBytes() > 0 ? maxSize : DataSize.ofMegabytes(10);
        streamMaxLines = streamMaxLines > 0 ? streamMaxLines : 10_000;
        streamTtl = streamTtl != null && streamTtl.toMillis() > 0 ? streamTtl : Duration.ofDays(1);
    }

    public static LogSettings defaults() {
        return new LogSettings(null, 0, null);
    }
}
