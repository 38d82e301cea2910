package dev.deploypipeline.deployctl;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code rollback <project> <id>}: {@code POST /projects/{name}/rollback}. */
@Command(
        name = "rollback",
        mixinStandardHelpOptions = true,
        description = "Points a project's site at one of its deployed deployments at once, with no rebuild.")
final class RollbackCommand implements Callable<Integer> {

    @ParentCommand
    Deployctl root;

    @Parameters(index = "0", paramLabel = "PROJECT")
    String project;

    @Parameters(index = "1", paramLabel = "ID", description = "The deployment to serve.")
    String id;

    @Override
    public Integer call() {
        JsonNode answer = root.client().post("projects/" + ApiClient.encode(project) + "/rollback", Map.of("id", id));
        return root.answer(answer, project + " now serves " + id);
    }
}
