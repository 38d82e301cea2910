package dev.deploypipeline.deploy.worker;

import dev.deploypipeline.deploy.DeploySettings;
import dev.deploypipeline.deploy.builder.BuildControl;
import dev.deploypipeline.deploy.builder.BuildFailedException;
import dev.deploypipeline.deploy.builder.BuildRunner;
import dev.deploypipeline.deploy.builder.BuildStoppedException;
import dev.deploypipeline.deploy.cache.BuildCache;
import dev.deploypipeline.deploy.cache.CachedBuild;
import dev.deploypipeline.deploy.log.BuildLog;
import dev.deploypipeline.deploy.log.BuildLogs;
import dev.deploypipeline.deploy.metrics.BuildPhases;
import dev.deploypipeline.deploy.metrics.BuildPhases.Phase;
import dev.deploypipeline.deploy.publish.SitePublisher;
import dev.deploypipeline.deploy.sandbox.BuildSandbox;
import dev.deploypipeline.deploy.sandbox.SandboxedBuild;
import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentTransitions;
import dev.deploypipeline.deployment.DeploymentTransitions.Transition;
import dev.deploypipeline.retry.TransientFaults;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.storage.ObjectStorage;
import dev.deploypipeline.storage.TooLargeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Takes one deployment from its sources in {@code output/{id}/} to a site in {@code dist/{id}/}, and records
 * how it ended; its log goes to {@code logs/{id}.log}. Whatever goes wrong becomes a {@code failed} deployment
 * with a reason that names the step; only an interrupt (a shutdown) leaves it {@code building}, to be handed
 * back. Each Redis and S3 step is retried while those servers are unreachable; a build that fails is not. A
 * build whose deployment was cancelled, or that another builder took over, is stopped, publishes nothing and
 * records nothing.
 */
@Component
class Deployer {

    private static final Logger log = LoggerFactory.getLogger(Deployer.class);

    private final DeploymentTransitions transitions;
    private final BuildOwnership ownership;
    private final ObjectStorage storage;
    private final BuildRunner runner;
    private final SitePublisher publisher;
    private final BuildLogs logs;
    private final BuildSettingsResolver settings;
    private final BuildVariables variables;
    private final RunningBuilds running;
    private final OutcomeRecorder recorder;
    private final BuildSandbox sandbox;
    private final DeploySettings deploySettings;
    private final TransientFaults retries;
    private final StaticFastPath fastPath;
    private final BuildPhases phases;
    private final BuildCache cache;

    Deployer(
            DeploymentTransitions transitions,
            BuildOwnership ownership,
            ObjectStorage storage,
            BuildRunner runner,
            SitePublisher publisher,
            BuildLogs logs,
            BuildSettingsResolver settings,
            BuildVariables variables,
            RunningBuilds running,
            OutcomeRecorder recorder,
            BuildSandbox sandbox,
            DeploySettings deploySettings,
            TransientFaults retries,
            StaticFastPath fastPath,
            BuildPhases phases,
            BuildCache cache) {
        this.transitions = transitions;
        this.ownership = ownership;
        this.storage = storage;
        this.runner = runner;
        this.publisher = publisher;
        this.logs = logs;
        this.settings = settings;
        this.variables = variables;
        this.running = running;
        this.recorder = recorder;
        this.sandbox = sandbox;
        this.deploySettings = deploySettings;
        this.retries = retries;
        this.fastPath = fastPath;
        this.phases = phases;
        this.cache = cache;
    }

    TransientFaults retries() {
        return retries;
    }

    /**
     * Deploys {@code id} as {@code builder}, the queue consumer that took it. {@code recorded} runs once its outcome
     * is recorded (the worker takes the id off its processing list then), before the work that follows it: the
     * save of the build's cache.
     */
    Outcome deploy(DeploymentId id, String builder, Runnable recorded) throws InterruptedException {
        Transition building = retries.get(() -> transitions.start(id, builder));
        if (!building.moved()) {
            log.info(
                    "Skipping deployment {}: it is {}",
                    id,
                    building.previous().map(Object::toString).orElse("unknown"));
            recorded.run();
            return Outcome.SKIPPED;
        }
        BuildControl control = running.start(id, builder);
        try {
            Optional<Ending> copied = fastPath.publish(id, builder, control);
            return copied.isPresent()
                    ? record(id, builder, copied.get(), recorded)
                    : buildInWorkspace(id, builder, control, recorded);
        } finally {
            running.finish(id);
        }
    }

    /**
     * Records {@code id} failed for an Error of this service's own that ended its deployment before its outcome was
     * recorded (its sandbox is closed by then), then runs {@code recorded}.
     */
    Outcome failUnexpectedly(DeploymentId id, String builder, Error error, Runnable recorded) {
        return record(id, builder, Ending.failed(unexpected(id, error)), recorded);
    }

    /**
     * Records how the build ended, then runs {@code recorded}. The build has ended by then: a shutdown arriving now
     * records it rather than having it built again elsewhere.
     */
    private Outcome record(DeploymentId id, String builder, Ending ending, Runnable recorded) {
        Outcome outcome = Interrupts.setAside(() -> recorder.record(id, builder, ending));
        recorded.run();
        return outcome;
    }

    /**
     * Builds and publishes in a sandbox, stores the log, records the outcome and runs {@code recorded}; only then
     * saves the build's cache, which the deployment does not wait for, and stores the log again with what the save
     * wrote in it. Whenever the deployment's state says it ended, its stored log is there.
     */
    private Outcome buildInWorkspace(DeploymentId id, String builder, BuildControl control, Runnable recorded)
            throws InterruptedException {
        Outcome outcome = null;
        try (SandboxedBuild build = sandbox.open(id)) {
            Path logFile = build.workspace().log();
            try (BuildLog buildLog = logs.open(id, logFile)) {
                build.logRefusalsTo(buildLog::line);
                Built built = buildAndPublish(id, builder, build, buildLog, control);
                buildLog.line(built.ending().summary());
                if (built.ending().outcome() != Outcome.DEPLOYED) {
                    buildLog.close();
                    if (built.ending().outcome() != Outcome.DISCARDED) {
                        publishLog(id, logFile);
                    }
                    return record(id, builder, built.ending(), recorded);
                }
                buildLog.flush();
                publishLog(id, logFile);
                outcome = record(id, builder, built.ending(), recorded);
                // A stopping replica skips the save: the site is up, and the grace is for the other builds.
                boolean saved = outcome == Outcome.DEPLOYED
                        && !Thread.currentThread().isInterrupted()
                        && built.cache().save();
                if (saved || buildLog.isCut()) {
                    buildLog.close();
                    publishLog(id, logFile);
                }
                return outcome;
            }
        } catch (IOException e) {
            if (outcome != null) {
                log.warn("Could not finish the build log of {}", id, e);
                return outcome;
            }
            // A stop while the sandbox was made (its disk's mkfs interrupted): nothing was built, so it is not failed.
            throwIfInterrupted(e);
            return record(id, builder, Ending.failed(unexpected(id, e)), recorded);
        }
    }

    /** How a build ended, with its use of the cache, which is saved once the ending is recorded. */
    private record Built(Ending ending, CachedBuild cache) {
        static Built without(Ending ending) {
            return new Built(ending, CachedBuild.NONE);
        }
    }

    private Built buildAndPublish(
            DeploymentId id, String builder, SandboxedBuild build, BuildLog buildLog, BuildControl control)
            throws InterruptedException {
        try {
            BuildSettings buildSettings = retries.get(() -> settings.settingsOf(id));
            buildLog.hide(buildSettings.env().values());
            BuildSettingsResolver.CacheChoice choice = retries.get(() -> settings.cacheOf(id, buildSettings));
            CachedBuild cached = choice.scope() == null
                    ? CachedBuild.off(buildLog, choice.off())
                    : cache.open(choice.scope(), buildLog);
            Instant fetching = phases.now();
            retries.run(() -> storage.downloadAll(
                    ObjectKeys.sources(id),
                    build.workspace().source(),
                    deploySettings.sourcesMaxSize().toBytes()));
            phases.ended(Phase.FETCH, fetching);
            Map<String, String> variables = retries.get(() -> this.variables.of(id));
            Path output = runner.build(build, buildSettings, variables, buildLog, control, cached);
            // Nothing of the build runs from here on, so nothing can change its output while it is published.
            build.stopAll();
            if (control.isStopped() || !retries.get(() -> ownership.owns(id, builder))) {
                return Built.without(recorder.stopped(id, builder));
            }
            Instant publishing = phases.now();
            int files = publishSite(id, builder, output);
            phases.ended(Phase.PUBLISH, publishing);
            buildLog.line("Uploaded " + files + " files");
            // Nothing of the build runs any more, so nothing can change its stores while they are saved.
            return new Built(Ending.published(), cached);
        } catch (BuildStoppedException e) {
            return Built.without(recorder.stopped(id, builder));
        } catch (BuildFailedException e) {
            return Built.without(Ending.failed(buildLog.masked(e.getMessage())));
        } catch (TooLargeException e) {
            return Built.without(Ending.failed("the sources are too large: " + e.getMessage() + " (FETCH_MAX_SIZE)"));
        } catch (IOException | RuntimeException e) {
            throwIfInterrupted(e);
            return Built.without(Ending.failed(buildLog.masked(unexpected(id, e))));
        }
    }

    /** Uploads the site; a fault S3 did not recover from within the retries fails the upload step. */
    private int publishSite(DeploymentId id, String builder, Path output) throws InterruptedException {
        int files;
        try {
            files = retries.get(() ->
                    publisher.publishSite(id, output, () -> retries.get(() -> ownership.owns(id, builder))));
        } catch (BuildFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            throwIfInterrupted(e);
            log.error("Could not upload the site of {}", id, e);
            throw new BuildFailedException("upload failed: " + describe(e));
        }
        if (files == 0) {
            throw new BuildFailedException("the site is empty: the build left no files to publish");
        }
        return files;
    }

    private void publishLog(DeploymentId id, Path buildLog) {
        try {
            retries.run(() -> publisher.publishLog(id, buildLog));
        } catch (RuntimeException e) {
            log.warn("Could not store the build log of {}", id, e);
        }
    }

    /** A shutdown interrupted the step: not the deployment's fault, and it will be built again. */
    private static void throwIfInterrupted(Exception e) throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("interrupted during " + e);
        }
    }

    private static String unexpected(DeploymentId id, Throwable e) {
        log.error("Deployment {} failed for a reason of this service's own", id, e);
        return "internal error: " + describe(e);
    }

    private static String describe(Throwable e) {
        Throwable cause = e instanceof UncheckedIOException ? e.getCause() : e;
        String reason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return reason.length() > 500 ? reason.substring(0, 500) + "…" : reason;
    }
}
