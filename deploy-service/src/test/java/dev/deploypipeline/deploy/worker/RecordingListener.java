package dev.deploypipeline.deploy.worker;

import dev.deploypipeline.deployment.DeploymentId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers every deployment the workers finished with, in order. */
final class RecordingListener implements DeploymentListener {

    record Finished(DeploymentId id, Outcome outcome, String thread) {}

    private final List<Finished> finished = new CopyOnWriteArrayList<>();

    @Override
    public void finished(DeploymentId id, Outcome outcome, Duration took) {
        finished.add(new Finished(id, outcome, Thread.currentThread().getName()));
    }

    List<Finished> all() {
        return List.copyOf(finished);
    }

    List<DeploymentId> ids() {
        return finished.stream().map(Finished::id).toList();
    }

    /** The ids a worker really built: a skipped duplicate delivery is not a build. */
    List<DeploymentId> built() {
        return finished.stream()
                .filter(entry -> entry.outcome() != Outcome.SKIPPED)
                .map(Finished::id)
                .toList();
    }
}
