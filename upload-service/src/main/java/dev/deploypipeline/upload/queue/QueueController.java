package dev.deploypipeline.upload.queue;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.queue.DeploymentQueue;
import dev.deploypipeline.queue.QueueRecovery;
import dev.deploypipeline.queue.QueueRecovery.ConsumerState;
import dev.deploypipeline.upload.access.Requires;
import dev.deploypipeline.upload.access.Scope;
import dev.deploypipeline.upload.queue.QueueActivity.LastHour;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /queue}: the queue at a glance. Who waits, with how many are ahead of each; what each consumer of
 * each replica builds (its processing list) and whether it lives (its heartbeat); the dead letters; and the last
 * hour (builds ended each way, the queue's length minute by minute, each build's duration).
 */
@RestController
class QueueController {

    /** Waiting ids shown; {@code length} says how many wait in all. */
    static final int SHOWN = 100;

    private final DeploymentQueue queue;
    private final QueueRecovery recovery;
    private final DeploymentStore deployments;
    private final QueueActivity activity;

    QueueController(
            DeploymentQueue queue, QueueRecovery recovery, DeploymentStore deployments, QueueActivity activity) {
        this.queue = queue;
        this.recovery = recovery;
        this.deployments = deployments;
        this.activity = activity;
    }

    @Requires(Scope.READ)
    @GetMapping("/queue")
    QueueView queue() {
        long length = queue.length();
        List<DeploymentId> next = queue.waiting(SHOWN);
        List<Waiting> waiting = IntStream.range(0, next.size())
                .mapToObj(position -> new Waiting(next.get(position).value(), position))
                .toList();
        List<ConsumerView> consumers =
                recovery.consumers().stream().map(ConsumerView::of).toList();
        List<DeadLetter> dead = recovery.deadLetters().stream()
                .map(id -> DeadLetter.of(id, deployments.find(id)))
                .toList();
        int building = consumers.stream()
                .mapToInt(consumer -> consumer.building().size())
                .sum();
        return new QueueView(length, building, waiting, consumers, dead, activity.lastHour(length));
    }

    /** The answer; {@code length} and {@code building} are now, {@code lastHour} the hour up to now. */
    record QueueView(
            long length,
            int building,
            List<Waiting> waiting,
            List<ConsumerView> consumers,
            List<DeadLetter> deadLetters,
            LastHour lastHour) {}

    /** A waiting id and how many are ahead of it (0: built next). */
    record Waiting(String id, int position) {}

    /**
     * A consumer: {@code replica} is its name less the worker's {@code -w{n}}; {@code alive} while its heartbeat
     * lives ({@code heartbeatAt} its last beat).
     */
    record ConsumerView(String consumer, String replica, boolean alive, Instant heartbeatAt, List<String> building) {

        static ConsumerView of(ConsumerState state) {
            String name = state.name();
            String replica = name.matches(".+-w\\d+") ? name.substring(0, name.lastIndexOf("-w")) : name;
            return new ConsumerView(
                    name,
                    replica,
                    state.heartbeat().isPresent(),
                    state.heartbeat().orElse(null),
                    state.holding().stream().map(DeploymentId::value).toList());
        }
    }

    /** A deployment given up on, with why. */
    record DeadLetter(String id, String project, String error, Instant finishedAt) {

        static DeadLetter of(DeploymentId id, Optional<Deployment> deployment) {
            return new DeadLetter(
                    id.value(),
                    deployment.map(Deployment::project).orElse(null),
                    deployment.map(Deployment::error).orElse(null),
                    deployment.map(Deployment::finishedAt).orElse(null));
        }
    }
}
