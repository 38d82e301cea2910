package dev.deploypipeline.deploy.builder;

import java.util.List;

/**
 * One command of a build, run as a child process in the app's folder.
 *
 * @param step what the command is for ({@link #INSTALL} or {@link #BUILD}), named when it fails
 * @param arguments the program and its arguments
 * @param shown the command as a person would type it, for the log and the failure reason
 * @param fallback run instead when this one fails for one known reason; {@code null} when there is none
 */
record BuildCommand(String step, List<String> arguments, String shown, Fallback fallback) {

    static final String INSTALL = "install";
    static final String BUILD = "build";

    BuildCommand {
        arguments = List.copyOf(arguments);
    }

    static BuildCommand of(String... arguments) {
        return step(BUILD, arguments);
    }

    static BuildCommand step(String step, String... arguments) {
        return new BuildCommand(step, List.of(arguments), String.join(" ", arguments), null);
    }

    /** A command line the user wrote, run by {@code sh -c} so it may use pipes, {@code &&} and variables. */
    static BuildCommand shell(String step, String commandLine) {
        return new BuildCommand(step, List.of("sh", "-c", commandLine), commandLine, null);
    }

    /** This command, then {@code replacement} if it fails having printed {@code whenOutputContains} ({@code why}). */
    BuildCommand orWhenItPrints(String whenOutputContains, String why, BuildCommand replacement) {
        return new BuildCommand(step, arguments, shown, new Fallback(whenOutputContains, why, replacement));
    }

    @Override
    public String toString() {
        return shown;
    }

    /** What to run when the command failed and printed {@code whenOutputContains}, which means {@code why}. */
    record Fallback(String whenOutputContains, String why, BuildCommand command) {}
}
