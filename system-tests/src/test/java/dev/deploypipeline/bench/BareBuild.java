package dev.deploypipeline.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a user compares a pipeline build with: {@code git clone --depth 1} of the repository into a fresh folder,
 * then {@code npm ci && npm run build} there, with an npm cache folder of the benchmark's own (empty the first
 * time: cold; kept for the next: warm). Only the install and the build are timed, as the pipeline's fetch is part
 * of what the comparison shows.
 */
final class BareBuild {

    private final Commands commands;
    private final Path cache;

    BareBuild(Commands commands, Path cache) {
        this.commands = commands;
        this.cache = cache;
    }

    Duration run(String repoUrl, Path folder) {
        commands.run(folder.getParent(), "git", "clone", "--quiet", "--depth", "1", repoUrl, folder.toString());
        Duration install = commands.run(folder, "npm", "ci", "--cache", cache.toString());
        Duration build = commands.run(folder, "npm", "run", "build");
        return install.plus(build);
    }
}
