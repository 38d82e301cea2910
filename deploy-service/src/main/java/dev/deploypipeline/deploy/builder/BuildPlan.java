package dev.deploypipeline.deploy.builder;

import dev.deploypipeline.deploy.cache.CacheContents;
import dev.deploypipeline.deploy.cache.Folders;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * What a build runs and where its site ends up.
 *
 * @param root the app's folder: the repository, or its {@code rootDirectory}; commands run here
 * @param commands run one after another; none for a static site
 * @param outputFolders the site is the first of these, under {@code root}, that exists after the commands;
 *     none means {@code root} itself is the site
 * @param environment variables for the commands besides PATH, HOME and CI: the package manager's, then the user's
 * @param toolFolders put before the service's PATH (where corepack puts yarn or pnpm)
 * @param detected what was detected, for the log; empty when the user set everything
 * @param framework the framework the output folders were chosen for, if any
 * @param dependencies the package manager that installs the app's dependencies, if any: what the cache keeps
 */
record BuildPlan(
        Path root,
        List<BuildCommand> commands,
        List<String> outputFolders,
        Map<String, String> environment,
        List<Path> toolFolders,
        String detected,
        Optional<Framework> framework,
        Optional<Dependencies> dependencies) {

    /** The package manager of a plan, the version the app names (empty for none) and its lock file, if any. */
    record Dependencies(PackageManager manager, String version, Optional<String> lockFile) {}

    BuildPlan(
            Path root,
            List<BuildCommand> commands,
            List<String> outputFolders,
            Map<String, String> environment,
            List<Path> toolFolders,
            String detected,
            Optional<Framework> framework) {
        this(root, commands, outputFolders, environment, toolFolders, detected, framework, Optional.empty());
    }

    BuildPlan {
        commands = List.copyOf(commands);
        outputFolders = List.copyOf(outputFolders);
        environment = Map.copyOf(environment);
        toolFolders = List.copyOf(toolFolders);
    }

    /** The same plan, its commands given the deployment's own variables too ({@code DEPLOY_*}), after the user's. */
    BuildPlan withVariables(Map<String, String> variables) {
        Map<String, String> merged = new LinkedHashMap<>(environment);
        merged.putAll(variables);
        return new BuildPlan(root, commands, outputFolders, merged, toolFolders, detected, framework, dependencies);
    }

    /**
     * The folder to publish, once the commands have run and nothing of them runs any more. Only a real folder counts:
     * every step from {@code disk}, the top of the build's disk (which the build cannot replace), down to it must be
     * a folder, never a symbolic link, which could point anywhere on this machine.
     */
    Path output(Path disk) {
        List<String> candidates = outputFolders.isEmpty() ? List.of(".") : outputFolders;
        return candidates.stream()
                .map(folder -> folder.equals(".") ? root : root.resolve(folder))
                .filter(folder -> isRealFolder(disk, folder))
                .findFirst()
                .orElseThrow(() -> new BuildFailedException(
                        outputFolders.isEmpty()
                                ? "the build removed the app's folder"
                                : "the build made no output folder: expected "
                                        + (outputFolders.size() == 1
                                                ? outputFolders.get(0)
                                                : "one of " + String.join(", ", outputFolders))
                                        + framework
                                                .map(Framework::missingOutputHint)
                                                .orElse("")));
    }

    private static boolean isRealFolder(Path disk, Path folder) {
        try {
            return Folders.real(disk, Folders.relative(disk, folder)).isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What the cache keeps of this build, keyed by its package manager and lock file; none for a build without a
     * package manager.
     */
    Optional<CacheContents> cacheContents(Path disk, Path home) throws IOException {
        if (dependencies.isEmpty()) {
            return Optional.empty();
        }
        Dependencies found = dependencies.get();
        String lockHash = "none";
        if (found.lockFile().isPresent()) {
            try (InputStream lock =
                    Files.newInputStream(root.resolve(found.lockFile().get()), LinkOption.NOFOLLOW_LINKS)) {
                // Streamed: a lock file may be as large as the sources may be.
                lockHash = DigestUtils.sha256Hex(lock);
            }
        }
        String manager = found.manager().toString()
                + (found.version().isEmpty()
                        ? (found.manager() == PackageManager.NPM ? "" : "@corepack")
                        : "@" + found.version());
        return Optional.of(new CacheContents(
                manager, lockHash, disk, home, found.manager().storeFolders(), root, CacheContents.FRAMEWORK_FOLDERS));
    }

    /** This plan with the package manager's install preferring the restored store to the network. */
    BuildPlan preferringOffline() {
        if (dependencies.isEmpty()) {
            return this;
        }
        Dependencies found = dependencies.get();
        BuildCommand online = found.manager().install(root, found.version(), false);
        BuildCommand offline = found.manager().install(root, found.version(), true);
        return new BuildPlan(
                root,
                commands.stream()
                        .map(command -> command.equals(online) ? offline : command)
                        .toList(),
                outputFolders,
                environment,
                toolFolders,
                detected,
                framework,
                dependencies);
    }

    @Override
    public String toString() {
        String output = outputFolders.isEmpty() ? "the folder as it is" : "the first of " + outputFolders;
        if (commands.isEmpty()) {
            return detected + "; publishing " + output;
        }
        return detected + "; "
                + commands.stream().map(command -> "`" + command + "`").toList() + " then " + output;
    }
}
