package dev.deploypipeline.deploy.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * {@code deploy.build.phase} ({@code deploy_build_phase_seconds} in Prometheus): how long each phase of a build
 * took, a histogram per phase, whether the phase succeeded or not.
 */
@Component
public class BuildPhases {

    /** What a build spends its time on, in order. */
    public enum Phase {
        /** Downloading the sources from {@code output/{id}/}. */
        FETCH,
        /** The install command ({@code npm ci}, {@code pnpm install}…), its fallback included. */
        INSTALL,
        /** The build command. */
        BUILD,
        /** Uploading the site to {@code dist/{id}/}. */
        PUBLISH;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The phase of a build command's step ({@code install} or {@code build}); empty for any other step. */
        public static Optional<Phase> ofStep(String step) {
            return Arrays.stream(values())
                    .filter(phase -> phase.tag().equals(step))
                    .findFirst();
        }
    }

    private final MeterRegistry registry;
    private final Clock clock;

    public BuildPhases(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** The moment a phase starts, to hand to {@link #ended}. */
    public Instant now() {
        return clock.instant();
    }

    /** Records a phase that started at {@code start} and has just ended. */
    public void ended(Phase phase, Instant start) {
        Timer.builder("deploy.build.phase")
                .description("How long each phase of a build took")
                .tag("phase", phase.tag())
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry)
                .record(Duration.between(start, clock.instant()));
    }
}
