package dev.deploypipeline.deployctl;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code logs <id> [--follow]}: {@code GET /deployments/{id}/logs}, or followed live. */
@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        description = "Prints a deployment's build log; with --follow, as it is printed, until the build ends.")
final class LogsCommand implements Callable<Integer> {

    @ParentCommand
    Deployctl root;

    @Parameters(paramLabel = "ID")
    String id;

    @Option(
            names = {"-f", "--follow"},
            description = "Follow the log until the deployment ends; exit as deploy --follow does.")
    boolean follow;

    @Override
    public Integer call() {
        ApiClient api = root.client();
        if (!follow) {
            root.out().print(api.text("deployments/" + ApiClient.encode(id) + "/logs"));
            root.out().flush();
            return 0;
        }
        String state = new LogStream(api, id).follow(line -> {
            root.out().println(line);
            root.out().flush();
        });
        root.err().println("ended: " + state);
        root.err().flush();
        return Deployctl.exitCodeFor(state);
    }
}
