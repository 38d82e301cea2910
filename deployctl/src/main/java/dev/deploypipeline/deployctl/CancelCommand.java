package dev.deploypipeline.deployctl;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code cancel <id>}: {@code POST /deployments/{id}/cancel}. */
@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description = "Cancels a deployment: it leaves the queue, or its running build is killed.")
final class CancelCommand implements Callable<Integer> {

    @ParentCommand
    Deployctl root;

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() {
        JsonNode answer = root.client().post("deployments/" + ApiClient.encode(id) + "/cancel", Map.of());
        return root.answer(answer, id + " cancelled");
    }
}
