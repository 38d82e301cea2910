package dev.deploypipeline.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.storage.StoredObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/** What every fault test checks at the end: each deployment deployed, its site right, nothing left behind. */
final class PipelineAssertions {

    private static final List<String> FINAL = List.of("deployed", "failed", "cancelled");

    private final LocalPipeline pipeline;

    PipelineAssertions(LocalPipeline pipeline) {
        this.pipeline = pipeline;
    }

    String awaitFinalStatus(String id, Duration within) {
        return await().atMost(within)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> pipeline.redis().hget("status", id), FINAL::contains);
    }

    void allDeployed(Collection<String> ids, Duration within) {
        await().atMost(within)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> ids.stream()
                        .allMatch(id -> FINAL.contains(pipeline.redis().hget("status", id))));
        for (String id : ids) {
            assertThat(pipeline.redis().hget("status", id))
                    .as("%s: %s", id, pipeline.redis().hget("deployment:" + id, "error"))
                    .isEqualTo("deployed");
        }
    }

    void nothingLeftInAnyList() {
        assertThat(pipeline.redis().llen("build-queue")).as("build-queue").isZero();
        assertThat(pipeline.redis().keys("build-queue:processing:*"))
                .allSatisfy(key ->
                        assertThat(pipeline.redis().lrange(key, 0, -1)).as(key).isEmpty());
        assertThat(pipeline.redis().llen("build-queue:dead")).as("dead letters").isZero();
    }

    String read(String key) {
        try (StoredObject object =
                pipeline.storage().open(key).orElseThrow(() -> new AssertionError("missing " + key))) {
            return new String(object.body().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
