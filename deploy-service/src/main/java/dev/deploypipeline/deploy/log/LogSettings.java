package dev.deploypipeline.deploy.log;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How much of a build's log is kept ({@code BUILD_LOG_MAX_SIZE}, {@code BUILD_LOG_STREAM_MAX_LINES},
 * {@code BUILD_LOG_STREAM_TTL}).
 *
 * @param maxSize the most of a build's log kept (stream and {@code logs/{id}.log}); past it lines are left out with
 *     a note, and the last 20 follow at the end
 * @param streamMaxLines about how many of the newest lines the live stream {@code logs:{id}} keeps
 * @param streamTtl how long the live stream stays after its build ends
 */
@ConfigurationProperties("build.log")
public record LogSettings(
        @DefaultValue("10MB") DataSize maxSize,
        @DefaultValue("10000") int streamMaxLines,
        @DefaultValue("1d") Duration streamTtl) {

    public LogSettings {
        if (maxSize == null
                || maxSize.toBytes() <= 0
                || streamMaxLines < 1
                || streamTtl == null
                || streamTtl.toMillis() <= 0) {
            throw new IllegalArgumentException("BUILD_LOG_MAX_SIZE, BUILD_LOG_STREAM_MAX_LINES and BUILD_LOG_STREAM_TTL"
                    + " must be positive: " + maxSize + ", " + streamMaxLines + ", " + streamTtl);
        }
    }
}
