package dev.deploypipeline.deploy.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.deploypipeline.deploy.DeploySettings;
import dev.deploypipeline.deploy.builder.BuildRunner;
import dev.deploypipeline.deploy.cache.BuildCache;
import dev.deploypipeline.deploy.log.BuildLogs;
import dev.deploypipeline.deploy.metrics.BuildPhases;
import dev.deploypipeline.deploy.publish.SitePublisher;
import dev.deploypipeline.deploy.sandbox.BuildSandbox;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.deployment.DeploymentTransitions.Transition;
import dev.deploypipeline.retry.TransientFaults;
import dev.deploypipeline.storage.ObjectStorage;
import io.lettuce.core.RedisCommandInterruptedException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A shutdown's interrupt: arriving once a site is published, the deployment is recorded, not built again; arriving
 * before the build ran, it is handed back to be built again, not failed.
 */
class DeployerShutdownTest {

    private final DeploymentId id = DeploymentId.random();
    private final DeploymentTransitions transitions = mock(DeploymentTransitions.class);
    private final StaticFastPath fastPath = mock(StaticFastPath.class);
    private final OutcomeRecorder recorder = mock(OutcomeRecorder.class);
    private final BuildSandbox sandbox = mock(BuildSandbox.class);
    private final Deployer deployer = new Deployer(
            transitions,
            mock(BuildOwnership.class),
            mock(ObjectStorage.class),
            mock(BuildRunner.class),
            mock(SitePublisher.class),
            mock(BuildLogs.class),
            mock(BuildSettingsResolver.class),
            mock(BuildVariables.class),
            new RunningBuilds(),
            recorder,
            sandbox,
            mock(DeploySettings.class),
            new TransientFaults(Duration.ofSeconds(1)),
            fastPath,
            mock(BuildPhases.class),
            mock(BuildCache.class));

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void anInterruptDuringThePublishedSitesLastStepStillRecordsItAsDeployed() throws InterruptedException {
        when(transitions.start(id, "r1-w1")).thenReturn(new Transition(true, Optional.of(DeploymentState.UPLOADED)));
        when(fastPath.publish(eq(id), eq("r1-w1"), any())).thenAnswer(call -> {
            Thread.currentThread().interrupt(); // the stop, while the site's log was being stored
            return Optional.of(Ending.published());
        });
        // Recording is a Redis command, which Lettuce refuses on an interrupted thread.
        when(recorder.record(eq(id), eq("r1-w1"), any())).thenAnswer(call -> {
            if (Thread.currentThread().isInterrupted()) {
                throw new RedisCommandInterruptedException(new InterruptedException());
            }
            return Outcome.DEPLOYED;
        });

        List<String> told = new ArrayList<>();
        Runnable recorded = () -> told.add("recorded");

        assertThat(deployer.deploy(id, "r1-w1", recorded)).isEqualTo(Outcome.DEPLOYED);
        assertThat(told).as("the worker is told once the outcome is recorded").containsExactly("recorded");
        assertThat(Thread.currentThread().isInterrupted())
                .as("the interrupt is kept for the worker to stop on")
                .isTrue();
    }

    @Test
    void aStopWhileTheBuildsSandboxIsMadeHandsTheDeploymentBackInsteadOfFailingIt() throws Exception {
        when(transitions.start(id, "r1-w1")).thenReturn(new Transition(true, Optional.of(DeploymentState.UPLOADED)));
        // As HostTools reports a stop while mkfs.ext4 makes the build's disk: an IOException, the interrupt kept.
        when(sandbox.open(id)).thenAnswer(call -> {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running /usr/sbin/mkfs.ext4");
        });
        List<String> told = new ArrayList<>();

        assertThatThrownBy(() -> deployer.deploy(id, "r1-w1", () -> told.add("recorded")))
                .isInstanceOf(InterruptedException.class);
        verify(recorder, never()).record(any(), any(), any());
        assertThat(told).as("not marked done: the worker hands it back").isEmpty();
    }
}
