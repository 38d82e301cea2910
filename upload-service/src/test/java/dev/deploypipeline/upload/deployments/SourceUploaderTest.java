package dev.deploypipeline.upload.deployments;

import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.retry.TransientFaults;
import dev.deploypipeline.storage.ObjectStorage;
import dev.deploypipeline.upload.git.FetchedCommit;
import dev.deploypipeline.upload.git.RepositoryFetcher;
import dev.deploypipeline.upload.git.RepositoryUrl;
import dev.deploypipeline.upload.previews.Previews;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every Redis step of a fetch outlasts a Redis restart: a fetch that starts while Redis is down waits for it
 * instead of failing the deployment (the other steps are covered end to end by the system tests).
 */
class SourceUploaderTest {

    private final DeploymentId id = DeploymentId.random();
    private final DeploymentOrder order =
            new DeploymentOrder(RepositoryUrl.parse("https://git.example/site.git"), "main", null, null, null);
    private final DeploymentStore store = mock(DeploymentStore.class);
    private final DeploymentTransitions transitions = mock(DeploymentTransitions.class);
    private final ObjectStorage storage = mock(ObjectStorage.class);
    private final RepositoryFetcher fetcher = mock(RepositoryFetcher.class);
    private final FetchLeases leases = mock(FetchLeases.class);
    private final FetchedCommit commit = mock(FetchedCommit.class);
    private final SourceUploader uploader = new SourceUploader(
            store,
            transitions,
            storage,
            fetcher,
            leases,
            new TransientFaults(Duration.ofSeconds(5), Duration.ofMillis(1), Duration.ofMillis(5)),
            new FetchSizes(new SimpleMeterRegistry()),
            mock(Previews.class));

    @Test
    void aFetchThatStartsWhileRedisIsDownWaitsForItAndQueuesTheDeployment() {
        when(store.state(id))
                .thenThrow(new RedisConnectionException("Connection refused"))
                .thenThrow(new RedisCommandTimeoutException("Command timed out after 3 second(s)"))
                .thenReturn(Optional.of(DeploymentState.CLONING));
        when(fetcher.fetch(order.repository(), "main")).thenReturn(commit);
        when(commit.id()).thenReturn("0123456789abcdef0123456789abcdef01234567");
        when(commit.uploads(anyString())).thenReturn(List.of());
        when(transitions.upload(id, "0123456789abcdef0123456789abcdef01234567", false))
                .thenThrow(new RedisCommandTimeoutException("Command timed out after 3 second(s)"))
                .thenReturn(true);

        uploader.fetchAndQueue(id, order);

        verify(transitions, times(2)).upload(id, "0123456789abcdef0123456789abcdef01234567", false);
        verify(transitions, never()).failFetch(eq(id), anyString());
        verify(storage, never()).deleteAll(anyString());
        verify(leases).release(id);
    }

    @Test
    void anUploadWhoseRepliesAreLostUntilTheRetriesRunOutKeepsTheSourcesOfADeploymentQueuedAfterAll() {
        SourceUploader impatient = new SourceUploader(
                store,
                transitions,
                storage,
                fetcher,
                leases,
                new TransientFaults(Duration.ofMillis(100), Duration.ofMillis(1), Duration.ofMillis(5)),
                new FetchSizes(new SimpleMeterRegistry()),
                mock(Previews.class));
        when(store.state(id)).thenReturn(Optional.of(DeploymentState.CLONING));
        when(fetcher.fetch(order.repository(), "main")).thenReturn(commit);
        when(commit.id()).thenReturn("0123456789abcdef0123456789abcdef01234567");
        when(commit.uploads(anyString())).thenReturn(List.of());
        when(transitions.upload(id, "0123456789abcdef0123456789abcdef01234567", false))
                .thenThrow(new RedisCommandTimeoutException("Command timed out after 3 second(s)"));
        // The first upload went through at Redis: the deployment waits in the queue, so it is not failed.
        when(transitions.failFetch(eq(id), anyString()))
                .thenReturn(new DeploymentTransitions.Transition(false, Optional.of(DeploymentState.UPLOADED)));

        impatient.fetchAndQueue(id, order);

        verify(transitions).failFetch(eq(id), anyString());
        verify(storage, never()).deleteAll(anyString());
    }

    @Test
    void aFailedUploadFailsTheDeploymentStillCloningAndRemovesItsSources() {
        when(store.state(id)).thenReturn(Optional.of(DeploymentState.CLONING));
        when(fetcher.fetch(order.repository(), "main")).thenReturn(commit);
        when(commit.uploads(anyString())).thenReturn(List.of());
        doThrow(new IllegalStateException("the bucket refused it"))
                .when(storage)
                .putAll(anyList());
        when(transitions.failFetch(eq(id), anyString()))
                .thenReturn(new DeploymentTransitions.Transition(true, Optional.of(DeploymentState.CLONING)));

        uploader.fetchAndQueue(id, order);

        verify(transitions).failFetch(eq(id), contains("the bucket refused it"));
        verify(storage).deleteAll(anyString());
    }

    @Test
    void aDeploymentThatEndedBeforeItsFetchSlotIsNotFetched() {
        when(store.state(id)).thenReturn(Optional.of(DeploymentState.CANCELLED));

        uploader.fetchAndQueue(id, order);

        verify(fetcher, never()).fetch(order.repository(), "main");
        verify(storage, never()).putAll(anyList());
        verify(leases).release(id);
    }
}
