package dev.deploypipeline.deployctl;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code list}: {@code GET /deployments}, newest first, with its filters. */
@Command(
        name = "list",
        aliases = "ls",
        mixinStandardHelpOptions = true,
        description = "Lists deployments, newest first.")
final class ListCommand implements Callable<Integer> {

    @ParentCommand
    Deployctl root;

    @Option(names = "--project", description = "Only this project's.")
    String project;

    @Option(names = "--branch", description = "Only those of this branch.")
    String branch;

    @Option(
            names = "--state",
            description = "Only those in this state (cloning, uploaded, building, deployed, failed, cancelled).")
    String state;

    @Option(
            names = "--limit",
            defaultValue = "20",
            description = "How many at most, 1 to 100 (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("limit", Integer.toString(limit));
        filters.put("project", project);
        filters.put("branch", branch);
        filters.put("state", state);
        JsonNode deployments = root.client().get("deployments" + ApiClient.query(filters));
        if (root.json) {
            root.printJson(deployments);
            return 0;
        }
        Table table = new Table(Deployments.HEADER);
        deployments.forEach(deployment -> table.row(Deployments.row(deployment)));
        if (table.isEmpty()) {
            root.out().println("no deployments");
        }
        table.print(root.out());
        return 0;
    }
}
