package dev.deploypipeline.deploy.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** How one command of a build is started: its whole command line, and what is written to its standard input. */
interface Launcher {

    /** The command line that runs {@code arguments} in {@code directory} with exactly {@code environment}. */
    Launch launch(List<String> arguments, Path directory, Map<String, String> environment);

    /** Where a folder of the workspace is, as the build sees it. */
    String inside(Path path);

    /** The folder the first program starts in, on this machine, for a command to run in {@code directory}. */
    Path hostDirectory(Path directory);

    /** Kills what a command left that only the launcher knows how to find; after its tree is killed. */
    default void killRest(Process process) throws java.io.IOException {}

    /**
     * A command line and the bytes its first program reads from standard input before the build's own command
     * starts (bubblewrap's options, which so never show in the machine's process list); the build's command
     * then finds its input at its end.
     *
     * @param command every program is an absolute path, and every program but the build's own runs with the
     *     fixed {@link HostTools#ENVIRONMENT}
     */
    record Launch(List<String> command, byte[] input) {}
}
