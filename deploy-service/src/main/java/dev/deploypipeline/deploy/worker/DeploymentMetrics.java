package dev.deploypipeline.deploy.worker;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code deploy.deployments}: how many deployments this replica handled and how long they took, by outcome; and
 * {@code deploy.queue.wait}: how long each one it built had waited in the queue, from {@code uploadedAt} to
 * {@code buildStartedAt}, read from its record once it is done. A metric never fails a deployment: a record that
 * cannot be read is left out.
 */
@Component
class DeploymentMetrics implements DeploymentListener {

    private static final Logger log = LoggerFactory.getLogger(DeploymentMetrics.class);

    private final MeterRegistry registry;
    private final DeploymentStore store;

    DeploymentMetrics(MeterRegistry registry, DeploymentStore store) {
        this.registry = registry;
        this.store = store;
    }

    @Override
    public void finished(DeploymentId id, Outcome outcome, Duration took) {
        Timer.builder("deploy.deployments")
                .description("Deployments this replica took off the build queue, by outcome")
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .register(registry)
                .record(took);
        if (outcome != Outcome.SKIPPED) {
            recordWait(id);
        }
    }

    private void recordWait(DeploymentId id) {
        try {
            store.find(id)
                    .filter(found -> found.uploadedAt() != null && found.buildStartedAt() != null)
                    .ifPresent(this::waited);
        } catch (RuntimeException e) {
            log.debug("Could not read how long {} waited: {}", id, e.toString());
        }
    }

    private void waited(Deployment deployment) {
        Duration waited = Duration.between(deployment.uploadedAt(), deployment.buildStartedAt());
        Timer.builder("deploy.queue.wait")
                .description("How long deployments waited in the build queue before a worker took them")
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofHours(6))
                .register(registry)
                .record(waited.isNegative() ? Duration.ZERO : waited);
    }
}
