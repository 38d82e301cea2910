package dev.deploypipeline.deploy.worker;

import dev.deploypipeline.deployment.DeploymentId;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** {@code deploy.deployments}: how many deployments this replica handled and how long they took, by outcome. */
@Component
class DeploymentMetrics implements DeploymentListener {

    private final MeterRegistry registry;

    DeploymentMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void finished(DeploymentId id, Outcome outcome, Duration took) {
        Timer.builder("deploy.deployments")
                .description("Deployments this replica took off the build queue, by outcome")
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .register(registry)
                .record(took);
    }
}
