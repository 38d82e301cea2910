package dev.deploypipeline.deploy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.deploy.metrics.BuildPhases.Phase;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BuildPhasesTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Instant start = Instant.parse("2026-12-01T12:00:00Z");

    @Test
    void eachPhaseIsTimedFromItsStartToNowUnderItsOwnTag() {
        BuildPhases phases = new BuildPhases(registry, Clock.fixed(start.plusSeconds(42), ZoneOffset.UTC));

        phases.ended(Phase.INSTALL, start);
        phases.ended(Phase.INSTALL, start.plusSeconds(40));
        phases.ended(Phase.PUBLISH, start.plusSeconds(41));

        Timer install =
                registry.get("deploy.build.phase").tag("phase", "install").timer();
        assertThat(install.count()).isEqualTo(2);
        assertThat(install.totalTime(TimeUnit.SECONDS)).isEqualTo(44);
        assertThat(registry.get("deploy.build.phase")
                        .tag("phase", "publish")
                        .timer()
                        .max(TimeUnit.SECONDS))
                .isEqualTo(1);
        assertThat(registry.find("deploy.build.phase").tag("phase", "build").timer())
                .isNull();
    }

    @Test
    void onlyTheInstallAndBuildStepsOfABuildAreItsPhases() {
        assertThat(Phase.ofStep("install")).contains(Phase.INSTALL);
        assertThat(Phase.ofStep("build")).contains(Phase.BUILD);
        assertThat(Phase.ofStep("restore-cache")).isEmpty();
    }
}
