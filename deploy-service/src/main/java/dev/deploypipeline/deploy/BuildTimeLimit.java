package dev.deploypipeline.deploy;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long a build may run ({@code BUILD_TIMEOUT}); what else holds a build is
 * {@link dev.deploypipeline.deploy.sandbox.SandboxSettings}'.
 *
 * @param timeout longest build before it is killed and fails ({@code 15m}, {@code 90s})
 */
@ConfigurationProperties("build")
public record BuildTimeLimit(@DefaultValue("15m") Duration timeout) {}
