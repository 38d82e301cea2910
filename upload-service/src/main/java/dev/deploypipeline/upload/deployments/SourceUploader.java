package dev.deploypipeline.upload.deployments;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.deployment.DeploymentTransitions.Transition;
import dev.deploypipeline.retry.TransientFaults;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.storage.ObjectStorage;
import dev.deploypipeline.storage.ObjectUpload;
import dev.deploypipeline.upload.git.FetchException;
import dev.deploypipeline.upload.git.FetchedCommit;
import dev.deploypipeline.upload.git.RepositoryFetcher;
import dev.deploypipeline.upload.previews.Previews;
import dev.deploypipeline.upload.previews.TentativePreview;
import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import java.time.Duration;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * The background half of a deployment's intake: fetch the commit, upload its files to {@code output/{id}/},
 * then mark it {@code uploaded} and queue it in one step. A deployment that fails or was cancelled meanwhile
 * leaves nothing under {@code output/{id}/}. A tentative preview (a branch of a project that follows the
 * repository's default branch) is decided once fetched: the site when HEAD names the branch, else the preview.
 */
@Component
class SourceUploader {

    private static final Logger log = LoggerFactory.getLogger(SourceUploader.class);

    /** A connection to the git server that drops midway is tried again, twice, before the deployment fails. */
    private static final RetryPolicy<FetchedCommit> FETCH_RETRIES = RetryPolicy.<FetchedCommit>builder()
            .handleIf(e -> e instanceof FetchException fetch && fetch.isNetworkFault())
            .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(4))
            .withMaxAttempts(3)
            .onRetry(event -> log.warn(
                    "Fetching again after a network fault: {}",
                    event.getLastException().getMessage()))
            .build();

    private final DeploymentStore store;
    private final DeploymentTransitions transitions;
    private final ObjectStorage storage;
    private final RepositoryFetcher fetcher;
    private final FetchLeases leases;
    private final TransientFaults retries;
    private final FetchSizes sizes;
    private final Previews previews;

    SourceUploader(
            DeploymentStore store,
            DeploymentTransitions transitions,
            ObjectStorage storage,
            RepositoryFetcher fetcher,
            FetchLeases leases,
            TransientFaults retries,
            FetchSizes sizes,
            Previews previews) {
        this.store = store;
        this.transitions = transitions;
        this.storage = storage;
        this.fetcher = fetcher;
        this.leases = leases;
        this.retries = retries;
        this.sizes = sizes;
        this.previews = previews;
    }

    void fetchAndQueue(DeploymentId id, DeploymentOrder order) {
        MDC.put("deploymentId", id.value());
        String sources = ObjectKeys.sources(id);
        try {
            if (retries.get(() -> store.state(id))
                    .filter(state -> state == DeploymentState.CLONING)
                    .isEmpty()) {
                log.info("Not fetching: the deployment ended while it waited for a fetch slot");
                return;
            }
            long started = System.nanoTime();
            try (FetchedCommit commit =
                    Failsafe.with(FETCH_RETRIES).get(() -> fetcher.fetch(order.repository(), order.ref()))) {
                uploadAndQueue(id, order, commit, sources, Duration.ofNanos(System.nanoTime() - started));
            }
        } catch (FetchException e) {
            log.info("Fetch failed: {}", e.getMessage());
            fail(id, sources, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Could not upload the sources", e);
            fail(id, sources, "could not upload the sources: " + e.getMessage());
        } finally {
            leases.release(id);
            MDC.remove("deploymentId");
        }
    }

    /**
     * Decides what the fetched commit builds (the site, a preview, or nothing when its preview is refused), uploads
     * its files and queues the deployment, or removes the files again when it ended meanwhile.
     */
    private void uploadAndQueue(
            DeploymentId id, DeploymentOrder order, FetchedCommit commit, String sources, Duration fetchTime) {
        noteMovedBranch(order, commit);
        boolean forSite = buildsSite(order, commit);
        if (!forSite && order.tentative() != null && order.tentative().refusal() != null) {
            String reason = refusal(order.tentative(), commit);
            log.info("Not deploying: {}", reason);
            fail(id, sources, reason);
            return;
        }
        long started = System.nanoTime();
        List<ObjectUpload> uploads = commit.uploads(sources);
        retries.run(() -> storage.putAll(uploads));
        Duration uploadTime = Duration.ofNanos(System.nanoTime() - started);
        sizes.fetched(uploads);
        boolean queued = retries.get(() -> transitions.upload(id, commit.id(), forSite));
        if (forSite) {
            release(order);
        }
        if (queued) {
            log.info(
                    "Uploaded commit {} and queued the deployment: {} files, fetched in {} ms, uploaded in {} ms",
                    commit.id(),
                    uploads.size(),
                    fetchTime.toMillis(),
                    uploadTime.toMillis());
        } else {
            log.info("Deployment ended while its sources were uploaded; removing them");
            removeQuietly(sources);
        }
    }

    private static void noteMovedBranch(DeploymentOrder order, FetchedCommit commit) {
        if (order.expectedCommit() != null && !order.expectedCommit().equals(commit.id())) {
            log.info(
                    "The push announced commit {}, but {} points at {} now; deploying {}",
                    order.expectedCommit(),
                    order.ref(),
                    commit.id(),
                    commit.id());
        }
    }

    /**
     * A tentative preview's name was found to build the project's site after all: it is the branch HEAD names, or a
     * tag given as the project's ref.
     */
    private static boolean buildsSite(DeploymentOrder order, FetchedCommit commit) {
        boolean site = order.tentative() != null
                && order.tentative()
                        .buildsSite(commit.ref(), commit.defaultBranch().orElse(null));
        if (site) {
            log.info(
                    "{} is {}: the deployment builds the project's site",
                    commit.ref(),
                    commit.ref().startsWith(Constants.R_TAGS) ? "a tag" : "the repository's default branch");
        }
        return site;
    }

    /**
     * Why a branch gets no deployment: it may have no preview, and it is not the site's (for a project that follows
     * the repository's default branch, not that one, as far as the server said).
     */
    private static String refusal(TentativePreview tentative, FetchedCommit commit) {
        if (!tentative.followsDefaultBranch()) {
            return tentative.refusal();
        }
        return tentative.refusal()
                + commit.defaultBranch()
                        .map(branch -> "; it does not build the site: the repository's default branch is " + branch)
                        .orElse("; nor does it build the site: the repository did not say which branch is its"
                                + " default");
    }

    /**
     * Gives up the preview label claimed for a branch that builds the site. Never throws: the deployment is queued
     * or ended either way, and an unused label serves nothing; the next deployment of the branch gives it up.
     */
    private void release(DeploymentOrder order) {
        try {
            retries.run(() -> previews.release(order.project(), order.tentative()));
        } catch (RuntimeException e) {
            log.warn("Could not give up the preview {}", order.tentative().label(), e);
        }
    }

    /**
     * Fails the deployment while it is still cloning and removes its sources, unless it was queued after all (its
     * upload's reply was lost, then the retries ran out), when the sources are what its build needs. If even this
     * cannot reach Redis, the lapse of the fetch lease fails the deployment later, and its sources are kept, as it
     * may be queued: they are removed with those of every deployment that ended ({@code SOURCES_RETENTION}).
     */
    private void fail(DeploymentId id, String sources, String reason) {
        Transition failed;
        try {
            failed = retries.get(() -> transitions.failFetch(id, reason));
        } catch (RuntimeException e) {
            log.warn("Could not record the failure of {}; its fetch lease will, and its sources are kept", id, e);
            return;
        }
        if (!failed.moved()
                && failed.previous().filter(DeploymentState::isFinal).isEmpty()) {
            log.warn("Deployment {} was queued though its upload seemed to fail; its sources are kept", id);
            return;
        }
        removeQuietly(sources);
    }

    private void removeQuietly(String sources) {
        try {
            storage.deleteAll(sources);
        } catch (RuntimeException e) {
            log.warn("Could not remove the sources under {}", sources, e);
        }
    }
}
