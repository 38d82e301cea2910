package dev.deploypipeline.upload.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.upload.deployments.DeploymentIntake;
import dev.deploypipeline.upload.deployments.QueueFullException;
import dev.deploypipeline.upload.git.RepositoryUrl;
import dev.deploypipeline.upload.git.RepositoryUrlPolicy;
import dev.deploypipeline.upload.previews.Previews;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A push that two projects build, when the queue fills between them: what started is answered and remembered, so
 * a redelivery does not build it twice; when nothing started, the refusal is the answer and nothing is remembered.
 */
class PushDeployerTest {

    private static final String REPOSITORY = "https://git.example.com/acme/site";
    private static final String COMMIT = "a".repeat(40);

    private final ProjectStore projects = mock(ProjectStore.class);
    private final DeploymentIntake intake = mock(DeploymentIntake.class);
    private final RepositoryUrlPolicy policy = mock(RepositoryUrlPolicy.class);
    private final DeliveryLedger ledger = mock(DeliveryLedger.class);
    private final Previews previews = mock(Previews.class);
    private final PushDeployer pushes =
            new PushDeployer(projects, intake, policy, mock(Superseder.class), ledger, previews);
    private final PushEvent push = new PushEvent(
            "refs/heads/main",
            "0".repeat(40),
            COMMIT,
            false,
            new PushEvent.Repository(REPOSITORY + ".git", REPOSITORY, "main", "1764650000"));

    @BeforeEach
    void twoProjectsOfTheRepositoryBuildMain() {
        when(projects.names()).thenReturn(List.of(new ProjectName("first"), new ProjectName("second")));
        for (String name : List.of("first", "second")) {
            when(projects.find(new ProjectName(name)))
                    .thenReturn(Optional.of(
                            new Project(new ProjectName(name), REPOSITORY, "main", null, false, Instant.now())));
        }
        when(policy.check(anyString())).thenAnswer(call -> RepositoryUrl.parse(call.getArgument(0)));
        when(previews.forBranch(any(), anyString())).thenReturn(Previews.BranchPreview.NONE); // main builds the site
        when(ledger.firstTime(any(), any())).thenReturn(true);
    }

    @Test
    void aQueueThatFillsAfterTheFirstProjectsDeploymentAnswersItAndNamesTheOtherAsRefused() {
        DeploymentId started = DeploymentId.random();
        when(intake.accept(any()))
                .thenReturn(Deployment.accepted(started, REPOSITORY, "main", "first", Instant.now()))
                .thenThrow(new QueueFullException(1000, Duration.ofSeconds(30)));

        WebhookAnswer answer = pushes.deploy(push);

        assertThat(answer.id()).isEqualTo(started.value());
        assertThat(answer.message()).contains("not second: 1000 deployments are waiting");
        verify(ledger, never()).forget(any(), any());
    }

    @Test
    void aQueueFullForEveryProjectIsTheAnswerAndThePushIsNotRemembered() {
        when(intake.accept(any())).thenThrow(new QueueFullException(1000, Duration.ofSeconds(30)));

        assertThatThrownBy(() -> pushes.deploy(push)).isInstanceOf(QueueFullException.class);

        verify(ledger).forget(any(), any());
    }
}
