package dev.deploypipeline.deployctl;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code status <id>}: {@code GET /deployments/{id}}. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Shows a deployment's record.")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    Deployctl root;

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
        JsonNode deployment = root.client().get("deployments/" + ApiClient.encode(id));
        if (root.json) {
            root.printJson(deployment);
        } else {
            Deployments.describe(deployment, root.out());
        }
        return 0;
    }
}
