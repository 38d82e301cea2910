package dev.deploypipeline.deployctl;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code projects}: {@code GET /projects}. */
@Command(
        name = "projects",
        mixinStandardHelpOptions = true,
        description = "Lists the projects, with the deployment each one's site serves.")
final class ProjectsCommand implements Callable<Integer> {

    @ParentCommand
    Deployctl root;

    @Override
    public Integer call() {
        JsonNode projects = root.client().get("projects");
        if (root.json) {
            root.printJson(projects);
            return 0;
        }
        Table table = new Table("NAME", "BRANCH", "SERVES", "URL", "REPOSITORY");
        projects.forEach(p -> table.row(
                p.path("name").asString(),
                p.path("branch").asString(null),
                p.path("deployment").asString(null),
                p.path("url").asString(null),
                p.path("repoUrl").asString(null)));
        if (table.isEmpty()) {
            root.out().println("no projects");
        }
        table.print(root.out());
        return 0;
    }
}
