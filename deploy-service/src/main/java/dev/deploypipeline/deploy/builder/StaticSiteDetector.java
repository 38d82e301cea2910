package dev.deploypipeline.deploy.builder;

import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.storage.RelativePath;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;

/**
 * Tells, from the build settings and the app's {@code package.json} alone, whether a deployment has nothing to
 * run, as {@link BuildPlanner} would decide once its sources were downloaded: then its site is published
 * straight from the stored sources. Whatever it is unsure of (settings in error, a manifest that is not JSON)
 * it leaves to the planner, which runs the build and fails it with the reason.
 */
@Component
public class StaticSiteDetector {

    /** The most of a {@code package.json} read to decide; a larger one is left to the planner, which refuses it. */
    public static final long MAX_MANIFEST_SIZE = Manifest.MAX_SIZE.toBytes();

    /**
     * The folder of the sources that is the site ({@code ""} for all of them, else a path ending in {@code /}),
     * when nothing is to run; empty when a build runs or the planner must decide.
     *
     * @param readSource a source file's bytes by its path, or empty when the sources do not hold it
     */
    public Optional<String> siteFolder(BuildSettings settings, Function<String, Optional<byte[]>> readSource) {
        if (settings.installCommand() != null && !settings.installCommand().isBlank()) {
            return Optional.empty();
        }
        String root = BuildPlanner.folderPath(settings.rootDirectory());
        try {
            BuildPlanner.checkOutputDirectory(settings.outputDirectory());
            BuildPlanner.checkVariables(settings.env());
        } catch (BuildFailedException e) {
            return Optional.empty();
        }
        if (!root.isEmpty() && !RelativePath.isSafe(root)) {
            return Optional.empty();
        }
        String rootPrefix = root.isEmpty() ? "" : root + "/";
        if (settings.buildCommand() != null
                ? !settings.buildCommand().isBlank()
                : hasBuildScript(readSource.apply(rootPrefix + "package.json"))) {
            return Optional.empty();
        }
        if (settings.outputDirectory() == null) {
            return Optional.of(rootPrefix);
        }
        String output = BuildPlanner.outputFolder(settings);
        return Optional.of(output.equals(".") ? rootPrefix : rootPrefix + output + "/");
    }

    /** A manifest that is not JSON counts as building, so the planner fails the build saying so. */
    private boolean hasBuildScript(Optional<byte[]> manifest) {
        if (manifest.isEmpty()) {
            return false;
        }
        try {
            return Manifest.parse(manifest.get()).path("scripts").path("build").isString();
        } catch (JacksonException e) {
            return true;
        }
    }
}
