package dev.deploypipeline.deployctl;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code deployctl}: the pipeline's API from a terminal. Readable output by default, JSON with {@code --json}. Exit
 * codes: 0 done (for {@code deploy --follow}: deployed), 1 the deployment failed, 2 a wrong command line, 3 it was
 * cancelled, 4 the API refused the call or could not be reached.
 */
@Command(
        name = "deployctl",
        mixinStandardHelpOptions = true,
        version = "deployctl 0.1.0",
        description = "Deploys repositories and projects, and watches them, through the pipeline's API.",
        subcommands = {
            DeployCommand.class,
            StatusCommand.class,
            LogsCommand.class,
            CancelCommand.class,
            ListCommand.class,
            ProjectsCommand.class,
            RollbackCommand.class,
            QueueCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done (deploy --follow: deployed)",
            "1:the deployment failed",
            "2:a wrong command line",
            "3:the deployment was cancelled",
            "4:the API refused the call or could not be reached"
        })
final class Deployctl implements Callable<Integer> {

    static final int FAILED = 1;
    static final int CANCELLED = 3;
    static final int API_ERROR = 4;

    @Option(
            names = "--api",
            scope = ScopeType.INHERIT,
            paramLabel = "URL",
            defaultValue = "${env:DEPLOY_API:-http://localhost:3000}",
            description = "The API's address (DEPLOY_API; default ${DEFAULT-VALUE}).")
    String api;

    @Option(
            names = "--token",
            scope = ScopeType.INHERIT,
            paramLabel = "TOKEN",
            defaultValue = "${env:DEPLOY_TOKEN}",
            description = "The bearer token, when the API asks for one (DEPLOY_TOKEN).")
    String token;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON, to be parsed, instead of text.")
    boolean json;

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Deployctl());
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof ApiException) {
                PrintWriter shown = new PrintWriter(new TerminalSafeWriter(line.getErr()));
                shown.println("deployctl: " + e.getMessage()); // the API's problem detail, among others
                shown.flush();
                return API_ERROR;
            }
            throw e;
        });
        return commandLine;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    ApiClient client() {
        return new ApiClient(api, token);
    }

    private PrintWriter out;
    private PrintWriter err;

    /** Standard output, through which nothing the API sends can drive the terminal (see TerminalSafeWriter). */
    PrintWriter out() {
        out = out != null
                ? out
                : new PrintWriter(new TerminalSafeWriter(spec.commandLine().getOut()), true);
        return out;
    }

    PrintWriter err() {
        err = err != null
                ? err
                : new PrintWriter(new TerminalSafeWriter(spec.commandLine().getErr()), true);
        return err;
    }

    /** The API's answer as JSON with {@code --json}, else the line a person reads; 0, the exit code of success. */
    int answer(JsonNode json, String text) {
        if (this.json) {
            printJson(json);
        } else {
            out().println(text);
            out().flush();
        }
        return 0;
    }

    /** JSON as the API gave it, indented. */
    void printJson(JsonNode node) {
        out().println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        out().flush();
    }

    /** The exit code for a deployment's final state. */
    static int exitCodeFor(String state) {
        return switch (state) {
            case "deployed" -> 0;
            case "cancelled" -> CANCELLED;
            default -> FAILED;
        };
    }
}
