package dev.deploypipeline.deployctl;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code deploy <repoUrl|project>}: {@code POST /deploy}, and with {@code --follow} its log until it ends. */
@Command(
        name = "deploy",
        mixinStandardHelpOptions = true,
        description = "Deploys a repository (a URL) or a project (a name). Prints the new id; with --follow, then "
                + "the build's log as it runs, and the site's URL once deployed.")
final class DeployCommand implements Callable<Integer> {

    @ParentCommand
    Deployctl root;

    @Parameters(paramLabel = "REPO_URL|PROJECT", description = "A git repository URL, or the name of a project.")
    String target;

    @Option(names = "--ref", description = "The branch or tag (default: the project's branch, or the default branch).")
    String ref;

    @Option(names = "--root-dir", paramLabel = "DIR", description = "The app's folder in the repository.")
    String rootDirectory;

    @Option(names = "--env", paramLabel = "KEY=VALUE", description = "A variable for the build only; repeat for more.")
    Map<String, String> env = new LinkedHashMap<>();

    @Option(
            names = {"-f", "--follow"},
            description = "Follow the log until the deployment ends; exit 0 only when deployed.")
    boolean follow;

    @Override
    public Integer call() {
        ApiClient api = root.client();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(isRepository(target) ? "repoUrl" : "project", target);
        body.put("ref", ref);
        body.put("rootDirectory", rootDirectory);
        body.put("env", env.isEmpty() ? null : env);
        JsonNode accepted = api.post("deploy", Deployments.withoutNulls(body));
        String id = accepted.path("id").asString();
        if (!follow) {
            return root.answer(accepted, id);
        }
        // With --json, stdout is for the final record alone: the id and log go to stderr.
        var lines = root.json ? root.err() : root.out();
        lines.println(id);
        lines.flush();
        String state = new LogStream(api, id).follow(line -> {
            lines.println(line);
            lines.flush();
        });
        JsonNode deployment = api.get("deployments/" + ApiClient.encode(id));
        if (root.json) {
            root.printJson(deployment);
        } else if ("deployed".equals(state)) {
            root.out().println("deployed: " + deployment.path("url").asString(""));
        } else {
            root.err().println(state + ": " + deployment.path("error").asString("(no reason given)"));
        }
        root.out().flush();
        root.err().flush();
        return Deployctl.exitCodeFor(state);
    }

    /** A URL (scheme://…, git@host:…) or a local path is a repository; anything else names a project. */
    static boolean isRepository(String target) {
        return target.contains("://") || target.contains("@") || target.contains("/");
    }
}
