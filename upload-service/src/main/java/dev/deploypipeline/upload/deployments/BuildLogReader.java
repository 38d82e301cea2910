package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.buildlog.BuildLogStream;
import dev.deploypipeline.buildlog.LogEntry;
import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.storage.ObjectMetadata;
import dev.deploypipeline.storage.ObjectStorage;
import dev.deploypipeline.storage.StoredObject;
import dev.deploypipeline.upload.problems.DeploymentNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Reads a build's log: the whole stored log ({@code logs/{id}.log}) once the deployment has ended, the live
 * stream ({@code logs:{id}}) while it builds. Either is copied a piece at a time, never held whole.
 */
@Component
public class BuildLogReader {

    /** Lines read from the stream at once: a page of at most a few megabytes, as each line is capped. */
    static final int PAGE = 200;

    private final DeploymentStore deployments;
    private final ObjectStorage storage;
    private final BuildLogStream stream;

    public BuildLogReader(DeploymentStore deployments, ObjectStorage storage, RedisConnector redis) {
        this.deployments = deployments;
        this.storage = storage;
        this.stream = new BuildLogStream(redis);
    }

    /** The deployment, or {@link DeploymentNotFoundException}. */
    Deployment deployment(DeploymentId id) {
        return deployments.find(id).orElseThrow(() -> new DeploymentNotFoundException(id));
    }

    Optional<DeploymentState> state(DeploymentId id) {
        return deployments.state(id);
    }

    /** The stored log of a deployment that has ended; the caller closes it. */
    Optional<StoredObject> stored(Deployment deployment) {
        return deployment.status().isFinal() ? storage.open(ObjectKeys.log(deployment.id())) : Optional.empty();
    }

    /** The length of the stored log of a deployment that has ended, if it has one. */
    Optional<Long> storedLength(Deployment deployment) {
        return deployment.status().isFinal()
                ? storage.head(ObjectKeys.log(deployment.id())).map(ObjectMetadata::length)
                : Optional.empty();
    }

    /** The stored log, to be read a range at a time. */
    StoredLogReplay replay(Deployment deployment, long length) {
        return new StoredLogReplay(storage, ObjectKeys.log(deployment.id()), length);
    }

    /** Up to {@link #PAGE} entries of the live stream after the entry {@code afterId}. */
    List<LogEntry> after(DeploymentId id, String afterId) {
        return stream.readAfter(id, afterId, PAGE);
    }

    /** Writes the log as text: the stored one when there is one, else what the stream holds. */
    void copy(Deployment deployment, OutputStream out) throws IOException {
        Optional<StoredObject> stored = stored(deployment);
        if (stored.isPresent()) {
            try (StoredObject log = stored.get()) {
                log.body().transferTo(out);
            }
            return;
        }
        String last = BuildLogStream.START;
        for (List<LogEntry> page = after(deployment.id(), last); !page.isEmpty(); page = after(deployment.id(), last)) {
            for (LogEntry entry : page) {
                if (!entry.isEnd()) {
                    out.write((entry.line() + "\n").getBytes(StandardCharsets.UTF_8));
                }
                last = entry.id();
            }
            out.flush();
        }
    }
}
