package dev.deploypipeline.upload.deployments;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How many may follow build logs live at once ({@code LOG_FOLLOWERS_MAX}, {@code LOG_FOLLOWERS_PER_CLIENT}); a
 * follower past either is answered 429. Replays of ended deployments' logs count too.
 *
 * @param max followers of all logs together
 * @param perClient followers from one address ({@code request.getRemoteAddr()}: behind a proxy, the proxy's
 *     unless the service is told to trust its forwarded headers)
 */
@ConfigurationProperties("log.followers")
public record LogFollowerSettings(
        @DefaultValue("200") int max, @DefaultValue("10") int perClient) {

    public LogFollowerSettings {
        if (max < 1 || perClient < 1) {
            throw new IllegalArgumentException("LOG_FOLLOWERS_MAX and LOG_FOLLOWERS_PER_CLIENT must be at least 1");
        }
    }
}
