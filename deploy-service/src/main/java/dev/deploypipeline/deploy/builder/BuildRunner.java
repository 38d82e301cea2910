package dev.deploypipeline.deploy.builder;

import dev.deploypipeline.deploy.DeploySettings;
import dev.deploypipeline.deploy.SettingFormat;
import dev.deploypipeline.deploy.cache.CacheContents;
import dev.deploypipeline.deploy.cache.CachedBuild;
import dev.deploypipeline.deploy.cache.Folders;
import dev.deploypipeline.deploy.log.BuildLog;
import dev.deploypipeline.deploy.metrics.BuildPhases;
import dev.deploypipeline.deploy.metrics.BuildPhases.Phase;
import dev.deploypipeline.deploy.sandbox.BuildSandbox;
import dev.deploypipeline.deploy.sandbox.SandboxedBuild;
import dev.deploypipeline.deployment.BuildSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Builds a deployment's sources with real child processes. The build is untrusted code: its commands run in its
 * {@link SandboxedBuild}, with an environment rebuilt from nothing (PATH, HOME, CI, the user's variables; never
 * this service's credentials). Its output goes line by line to the build log; past the time limit, or when it
 * is stopped, everything it runs is killed, and so is anything a command leaves running when it ends. A command
 * that failed because the build ran into one of its limits says which.
 */
@Component
public class BuildRunner {

    private static final Logger log = LoggerFactory.getLogger(BuildRunner.class);
    private static final int LOG_LINES_IN_ERROR = 20;

    private final BuildPlanner planner;
    private final BuildSandbox sandbox;
    private final Duration timeout;
    private final Clock clock;
    private final BuildPhases phases;

    public BuildRunner(
            BuildPlanner planner, BuildSandbox sandbox, DeploySettings settings, Clock clock, BuildPhases phases) {
        this.planner = planner;
        this.sandbox = sandbox;
        this.timeout = settings.buildTimeout();
        this.clock = clock;
        this.phases = phases;
    }

    /** Builds the sources in the sandbox's workspace with these settings and returns the folder to publish. */
    public Path build(SandboxedBuild build, BuildSettings settings, BuildLog buildLog, BuildControl control)
            throws IOException, InterruptedException {
        return build(build, settings, Map.of(), buildLog, control, CachedBuild.NONE);
    }

    /**
     * The same, the commands also given the deployment's own {@code variables} ({@code DEPLOY_BRANCH}…), and the
     * dependency cache restored before the install (which then prefers it to the network); saving it after the
     * build succeeded is the caller's, once the site is published.
     */
    public Path build(
            SandboxedBuild build,
            BuildSettings settings,
            Map<String, String> variables,
            BuildLog buildLog,
            BuildControl control,
            CachedBuild cache)
            throws IOException, InterruptedException {
        if (isEmpty(build.workspace().source())) {
            throw new BuildFailedException("there are no source files to build");
        }
        BuildPlan plan = planner.plan(
                        build.workspace().source(), build.workspace().home(), settings)
                .withVariables(variables);
        log.info("Build plan: {}", plan);
        buildLog.line("Build plan: " + plan);
        buildLog.line("Running " + build.describe() + ", for at most " + SettingFormat.duration(timeout));
        Path disk = build.workspace().disk();
        Optional<CacheContents> cached =
                plan.cacheContents(disk, build.workspace().home());
        // The build's time starts before its cache is restored, so a restore counts toward BUILD_TIMEOUT too.
        Instant deadline = clock.instant().plus(timeout);
        if (cached.isPresent()
                && cache.restore(
                        cached.get(),
                        () -> control.isStopped() || !clock.instant().isBefore(deadline))) {
            plan = plan.preferringOffline();
        }
        run(plan, build, buildLog, control, deadline);
        // Each command's processes were all killed when it ended, so what is looked at now stays as it is.
        refuseReplaced(disk, plan.root());
        refuseReplaced(disk, build.workspace().home());
        return plan.output(disk);
    }

    /**
     * A folder of the service's making that the build replaced with a link (or a file) fails the build: read through
     * it as this service, it could lead to any file on this machine, to be published or cached.
     */
    private static void refuseReplaced(Path disk, Path folder) throws IOException {
        Optional<Path> replaced = Folders.replaced(disk, Folders.relative(disk, folder));
        if (replaced.isPresent()) {
            throw new BuildFailedException("the build replaced its folder " + Folders.relative(disk, replaced.get())
                    + (Files.isSymbolicLink(replaced.get()) ? " with a symbolic link" : " with a file")
                    + ": nothing of it is published or cached");
        }
    }

    /** Runs the plan's commands in order, all of them within one time limit. */
    void run(BuildPlan plan, SandboxedBuild build, BuildLog buildLog, BuildControl control)
            throws IOException, InterruptedException {
        run(plan, build, buildLog, control, clock.instant().plus(timeout));
    }

    private void run(BuildPlan plan, SandboxedBuild build, BuildLog buildLog, BuildControl control, Instant deadline)
            throws IOException, InterruptedException {
        for (Path folder : plan.toolFolders()) {
            Files.createDirectories(folder);
        }
        build.handOver();
        Map<String, String> environment = environment(plan, build);
        for (BuildCommand command : plan.commands()) {
            control.throwIfStopped();
            Instant started = phases.now();
            CommandRun run = new CommandRun(command, plan.root(), build, environment, buildLog);
            int code = run.await(deadline, control);
            if (code != 0 && run.printed(command.fallback())) {
                buildLog.line("[`" + command + "` failed: " + command.fallback().why() + "; running `"
                        + command.fallback().command() + "` instead]");
                command = command.fallback().command();
                code = new CommandRun(command, plan.root(), build, environment, buildLog).await(deadline, control);
            }
            Phase.ofStep(command.step()).ifPresent(phase -> phases.ended(phase, started));
            if (code != 0) {
                throw new BuildFailedException(command.step() + " failed: "
                        + build.limitReached().map(reason -> reason + ": ").orElse("")
                        + "`" + command + "` exited with code " + code + lastLines(buildLog));
            }
        }
    }

    /** One command, started at once; its output pumped into the log until it ends. */
    private final class CommandRun {

        private final BuildCommand command;
        private final BuildLog buildLog;
        private final SandboxedBuild build;
        private final Process process;
        private final OutputPump pump;

        CommandRun(
                BuildCommand command,
                Path directory,
                SandboxedBuild build,
                Map<String, String> environment,
                BuildLog buildLog)
                throws IOException {
            this.command = command;
            this.buildLog = buildLog;
            this.build = build;
            log.info("Running `{}`", command);
            buildLog.line("$ " + command);
            this.process = build.start(command.arguments(), directory, environment);
            this.pump = OutputPump.start(
                    process,
                    buildLog,
                    command.fallback() == null ? null : command.fallback().whenOutputContains());
        }

        /** Waits for the command to end, or kills its tree at the deadline or when the build is stopped. */
        int await(Instant deadline, BuildControl control) throws InterruptedException {
            Duration left = Duration.between(clock.instant(), deadline);
            ProcessEnd end;
            try {
                end = ProcessEnd.await(process, control, left);
            } catch (InterruptedException e) {
                build.killAll(process);
                pump.finish(process);
                throw e;
            }
            build.killAll(process); // whatever it left behind: a daemon, a server it forgot to stop
            pump.finish(process);
            switch (end) {
                case TIMED_OUT -> {
                    buildLog.line("[killed: the build ran longer than " + SettingFormat.duration(timeout) + "]");
                    throw new BuildFailedException(command.step() + " timed out after "
                            + SettingFormat.duration(timeout) + ": `" + command + "` was killed" + lastLines(buildLog));
                }
                case STOPPED -> {
                    buildLog.line("[killed: " + control.stopped().join() + "]");
                    throw new BuildStoppedException(control.stopped().join());
                }
                default -> {
                    int code = process.exitValue();
                    buildLog.line("[exited with code " + code + "]");
                    return code;
                }
            }
        }

        boolean printed(BuildCommand.Fallback fallback) {
            return fallback != null && pump.sawTrigger();
        }
    }

    /** PATH, HOME, CI and the inherited variables first, so the plan's (the user's) cannot replace them. */
    private Map<String, String> environment(BuildPlan plan, SandboxedBuild build) {
        Map<String, String> environment = new LinkedHashMap<>(plan.environment());
        environment.putAll(sandbox.inheritedEnvironment());
        environment.put(
                "PATH",
                Stream.concat(plan.toolFolders().stream().map(build::inside), sandbox.path().stream())
                        .collect(Collectors.joining(":")));
        environment.put("HOME", build.inside(build.workspace().home()));
        environment.put("CI", "true");
        return environment;
    }

    private static String lastLines(BuildLog buildLog) {
        List<String> lines = buildLog.lastLines();
        lines = lines.subList(Math.max(0, lines.size() - LOG_LINES_IN_ERROR), lines.size());
        return lines.isEmpty() ? "" : "\n" + String.join("\n", lines);
    }

    private static boolean isEmpty(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        }
    }
}
