package dev.deploypipeline.deploy.builder;

import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.ReservedVariables;
import dev.deploypipeline.storage.RelativePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Decides how to build an app from its settings (the request's, else its project's), then from what it holds:
 * a {@code package.json} with a {@code build} script is built with its package manager, and its output folder
 * is the one its framework writes to; anything else is published as it is.
 */
@Component
public class BuildPlanner {

    static final List<String> OUTPUT_FOLDERS = List.of("dist", "build", "out");

    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The folder of the build's HOME where package managers are put, on its PATH. */
    static final String TOOLS = ".build-tools";

    /**
     * @param source the repository's files
     * @param home the build's HOME, whose {@link #TOOLS} folder holds the package managers put on its PATH
     */
    BuildPlan plan(Path source, Path home, BuildSettings settings) {
        Path tools = home.resolve(TOOLS);
        Path root = rootFolder(source, settings.rootDirectory());
        checkOutputDirectory(settings.outputDirectory());
        checkVariables(settings.env());
        JsonNode manifest = Manifest.read(root, "package.json");
        boolean hasBuildScript = manifest.path("scripts").path("build").isString();
        boolean builds =
                settings.buildCommand() != null ? !settings.buildCommand().isBlank() : hasBuildScript;
        if (!builds) {
            return staticPlan(root, settings);
        }
        List<BuildCommand> commands = new ArrayList<>();
        Map<String, String> environment = new LinkedHashMap<>();
        List<Path> toolFolders = new ArrayList<>();
        StringBuilder detected = new StringBuilder();
        Optional<PackageManager> manager =
                manifest.isMissingNode() ? Optional.empty() : Optional.of(PackageManager.detect(root, manifest));
        manager.ifPresent(found -> {
            detected.append(found)
                    .append(found.lockFileIn(root)
                            .map(lock -> " (" + lock + ")")
                            .orElse(""));
            commands.addAll(found.setUp(TOOLS));
            if (!found.setUp(TOOLS).isEmpty()) {
                toolFolders.add(tools);
            }
            environment.putAll(found.environment());
        });
        install(settings, manager, root).ifPresent(commands::add);
        commands.add(
                settings.buildCommand() != null
                        ? BuildCommand.shell(BuildCommand.BUILD, settings.buildCommand())
                        : manager.orElseThrow().run("build"));
        Optional<Framework> framework = Framework.detect(manifest);
        framework.ifPresent(
                found -> detected.append(detected.isEmpty() ? "" : ", ").append(found));
        environment.putAll(settings.env());
        return new BuildPlan(
                root,
                commands,
                outputFolders(settings, framework),
                environment,
                toolFolders,
                detected.isEmpty() ? "commands as set" : detected.toString(),
                framework,
                manager.map(found ->
                        new BuildPlan.Dependencies(found, found.declaredVersion(manifest), found.lockFileIn(root))));
    }

    /** Nothing to build: the folder as it is, after the user's install command if they set one. */
    private static BuildPlan staticPlan(Path root, BuildSettings settings) {
        List<BuildCommand> commands =
                settings.installCommand() == null || settings.installCommand().isBlank()
                        ? List.of()
                        : List.of(BuildCommand.shell(BuildCommand.INSTALL, settings.installCommand()));
        List<String> output = settings.outputDirectory() == null ? List.of() : List.of(outputFolder(settings));
        return new BuildPlan(
                root,
                commands,
                output,
                settings.env(),
                List.of(),
                commands.isEmpty() ? "static site" : "commands as set",
                Optional.empty());
    }

    /** The user's install command (blank means none), else the package manager's. */
    private static Optional<BuildCommand> install(BuildSettings settings, Optional<PackageManager> manager, Path root) {
        if (settings.installCommand() != null) {
            return settings.installCommand().isBlank()
                    ? Optional.empty()
                    : Optional.of(BuildCommand.shell(BuildCommand.INSTALL, settings.installCommand()));
        }
        return manager.map(found -> found.install(root));
    }

    private static List<String> outputFolders(BuildSettings settings, Optional<Framework> framework) {
        if (settings.outputDirectory() != null) {
            return List.of(outputFolder(settings));
        }
        return framework
                .map(found -> Stream.concat(
                                Stream.of(found.outputFolder()),
                                OUTPUT_FOLDERS.stream().filter(folder -> !folder.equals(found.outputFolder())))
                        .toList())
                .orElse(OUTPUT_FOLDERS);
    }

    static String outputFolder(BuildSettings settings) {
        String relative = folderPath(settings.outputDirectory());
        return relative.isEmpty() ? "." : relative;
    }

    /** The app's folder: the repository itself, or a real folder inside it. */
    static Path rootFolder(Path source, String rootDirectory) {
        String relative = folderPath(rootDirectory);
        if (relative.isEmpty()) {
            return source;
        }
        if (!RelativePath.isSafe(relative)) {
            throw new BuildFailedException(
                    "rootDirectory '" + rootDirectory + "' is not a folder inside the repository");
        }
        Path root = new RelativePath(relative).under(source);
        try {
            if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)
                    && root.toRealPath().startsWith(source.toRealPath())) {
                return root;
            }
        } catch (IOException e) {
            // not there: said below
        }
        throw new BuildFailedException("rootDirectory '" + rootDirectory + "' is not a folder in the repository");
    }

    static void checkOutputDirectory(String outputDirectory) {
        String relative = folderPath(outputDirectory);
        if (outputDirectory != null && !relative.isEmpty() && !RelativePath.isSafe(relative)) {
            throw new BuildFailedException("outputDirectory '" + outputDirectory + "' is not a folder inside the app");
        }
    }

    /** {@code ./web/} and {@code web} are the same folder; {@code .} and nothing are the top. */
    static String folderPath(String folder) {
        if (folder == null) {
            return "";
        }
        String path = folder.strip();
        while (path.startsWith("./")) {
            path = path.substring(2);
        }
        while (path.endsWith("/") && path.length() > 1) {
            path = path.substring(0, path.length() - 1);
        }
        return path.equals(".") ? "" : path;
    }

    static void checkVariables(Map<String, String> env) {
        env.forEach((name, value) -> {
            if (!VARIABLE_NAME.matcher(name).matches()) {
                throw new BuildFailedException("env: '" + name + "' is not a valid variable name");
            }
            if (value.indexOf('\0') >= 0) {
                throw new BuildFailedException("env: the value of " + name + " holds a NUL character");
            }
            ReservedVariables.refusal(name).ifPresent(reason -> {
                throw new BuildFailedException(reason); // the API refuses it first; a record written otherwise too
            });
        });
    }
}
