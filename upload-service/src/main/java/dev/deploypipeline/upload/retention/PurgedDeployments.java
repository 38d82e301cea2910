package dev.deploypipeline.upload.retention;

import dev.deploypipeline.deployment.DeploymentId;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** Which deployments retention purged, and when: the API answers 410 Gone for them rather than 404. */
@Service
public class PurgedDeployments {

    private final RetentionStore store;

    PurgedDeployments(RetentionStore store) {
        this.store = store;
    }

    public Optional<Instant> purgedAt(DeploymentId id) {
        return store.purgedAt(id);
    }
}
