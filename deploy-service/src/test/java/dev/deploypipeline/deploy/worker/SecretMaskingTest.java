package dev.deploypipeline.deploy.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real build that prints its secrets, plainly and base64-encoded, and the service's own: none of them reaches
 * the live log ({@code logs:{id}}), the stored log ({@code logs/{id}.log}) or the deployment's {@code error}.
 */
class SecretMaskingTest {

    private static final String API_SECRET = "hunter2-correct-horse-battery";
    private static final String PROJECT_SECRET = "project-stripe-key-41d9";
    private static final String CERTIFICATE =
            "-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG\n9w0BAQEFAASCBKcwggSj\n-----END KEY-----";
    /** Given to the test JVM by the surefire configuration, as the service's own. */
    private static final List<String> SERVICE_SECRETS =
            List.of("service-secret-never-shown-to-builds", "service-redis-password");

    @RegisterExtension
    static final TestPipeline pipeline = new TestPipeline();

    private final RecordingListener listener = new RecordingListener();

    @TempDir
    Path workDir;

    @Test
    void aBuildThatPrintsItsSecretsShowsNoneOfThemInTheLiveLogTheStoredLogOrTheError() {
        DeploymentId id = pipeline.uploaded(
                Map.of("print-secrets.sh", """
                echo "the secret is $API_SECRET"
                printf %s "$API_SECRET" | base64
                echo "$API_SECRET" | base64
                printf 'padding-%s' "$API_SECRET" | base64
                printf %s "$API_SECRET" | base64 | tr '+/' '-_'
                echo "$CERTIFICATE"
                echo "in a URL: https://api.example.com/?key=$API_SECRET&x=1"
                echo "the service's: service-secret-never-shown-to-builds service-redis-password"
                echo "failing with $API_SECRET" >&2
                exit 3
                """),
                new BuildSettings(
                        null,
                        null,
                        "sh print-secrets.sh",
                        null,
                        Map.of("API_SECRET", API_SECRET, "CERTIFICATE", CERTIFICATE)),
                null);

        deploy(id);

        assertThat(pipeline.state(id)).isEqualTo(DeploymentState.FAILED);
        String live = String.join("\n", pipeline.liveLog(id));
        String stored = String.join("\n", pipeline.storedLog(id));
        String error = pipeline.deployment(id).error();
        for (String shown : List.of(live, stored, error)) {
            assertThat(shown)
                    .doesNotContain(API_SECRET)
                    .doesNotContain(SERVICE_SECRETS.toArray(String[]::new))
                    .doesNotContain(
                            base64(API_SECRET),
                            base64(API_SECRET + "\n"),
                            "MIIEvQIBADANBgkqhkiG",
                            "9w0BAQEFAASCBKcwggSj",
                            "BEGIN KEY");
        }
        assertThat(live)
                .contains(
                        "the secret is ***",
                        "in a URL: https://api.example.com/?key=***&x=1",
                        "the service's: *** ***");
        assertThat(stored).isEqualTo(live);
        assertThat(error)
                .startsWith("build failed: `sh print-secrets.sh` exited with code 3")
                .contains("failing with ***");
    }

    @Test
    void theProjectsSecretsAreHiddenInItsDeploymentsBuilds() {
        pipeline.projects()
                .save(new Project(
                        new ProjectName("shop"),
                        "https://git.example.com/shop.git",
                        "main",
                        new BuildSettings(null, null, "sh print.sh", "public", Map.of("STRIPE_KEY", PROJECT_SECRET)),
                        false,
                        Instant.now()));
        DeploymentId id = pipeline.uploaded("shop", Map.of("print.sh", """
                echo "key: $STRIPE_KEY"
                printf %s "$STRIPE_KEY" | base64
                mkdir -p public && echo ok > public/index.html
                """));

        deploy(id);

        assertThat(pipeline.state(id)).isEqualTo(DeploymentState.DEPLOYED);
        for (List<String> log : List.of(pipeline.liveLog(id), pipeline.storedLog(id))) {
            assertThat(log)
                    .contains("key: ***")
                    .noneMatch(line -> line.contains(PROJECT_SECRET)
                            || line.contains(base64(PROJECT_SECRET).substring(0, 20)));
        }
    }

    private void deploy(DeploymentId id) {
        pipeline.enqueue(id);
        pipeline.startPool("replica-a", 1, workDir, listener);
        await().atMost(Duration.ofSeconds(90)).until(() -> listener.ids().contains(id));
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
