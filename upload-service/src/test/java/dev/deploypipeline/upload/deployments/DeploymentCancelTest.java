package dev.deploypipeline.upload.deployments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.queue.RedisDeploymentQueue;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /deployments/{id}/cancel} over real HTTP, with a real Redis. */
class DeploymentCancelTest extends RunningService {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RedisDeploymentQueue queue = new RedisDeploymentQueue(SERVERS.connector(), transitions);

    @Test
    void waitingDeploymentLeavesTheQueueAndEndsCancelled() throws Exception {
        DeploymentId id = created();
        DeploymentId other = created();
        transitions.upload(id, "c0ffee");
        transitions.upload(other, "c0ffee");

        HttpResponse<String> response = cancel(id);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("id").asString()).isEqualTo(id.value());
        assertThat(body.get("status").asString()).isEqualTo("cancelled");
        assertThat(SERVERS.connector().shared().sync().lrange("build-queue", 0, -1))
                .containsExactly(other.value());
        Deployment cancelled = store.find(id).orElseThrow();
        assertThat(cancelled.status()).isEqualTo(DeploymentState.CANCELLED);
        assertThat(cancelled.error()).isEqualTo("cancelled on request");
        assertThat(cancelled.finishedAt()).isNotNull();
    }

    @Test
    void runningBuildIsAnnouncedToEveryDeployReplica() throws Exception {
        DeploymentId id = building("replica-a-w1");
        List<String> heard = new CopyOnWriteArrayList<>();
        try (StatefulRedisPubSubConnection<String, String> replica =
                SERVERS.connector().connectPubSub()) {
            replica.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    heard.add(channel + " " + message);
                }
            });
            replica.sync().subscribe("cancellations");

            assertThat(cancel(id).statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(5)).until(() -> heard.contains("cancellations " + id));
        }
        assertThat(store.state(id)).contains(DeploymentState.CANCELLED);
    }

    @Test
    void deploymentBeingFetchedIsCancelledAndNeverQueued() throws Exception {
        DeploymentId id = created();

        assertThat(cancel(id).statusCode()).isEqualTo(200);

        assertThat(transitions.upload(id, "c0ffee")).isFalse();
        assertThat(queue.length()).isZero();
    }

    @Test
    void deploymentThatHasEndedAnswersConflict() throws Exception {
        DeploymentId id = building("replica-a-w1");
        transitions.deploy(id, "replica-a-w1");

        HttpResponse<String> response = cancel(id);

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JSON.readTree(response.body()).get("detail").asString())
                .isEqualTo("deployment " + id + " has already ended: it is deployed");
        assertThat(store.state(id)).contains(DeploymentState.DEPLOYED);
    }

    @Test
    void unknownDeploymentIsNotFoundAndAMalformedIdIsABadRequest() throws Exception {
        assertThat(cancel(DeploymentId.random()).statusCode()).isEqualTo(404);
        assertThat(post("/deployments/nope/cancel").statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> cancel(DeploymentId id) throws Exception {
        return post("/deployments/" + id + "/cancel");
    }
}
