package dev.deploypipeline.deployctl;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;

/** {@code queue}: {@code GET /queue}. */
@Command(
        name = "queue",
        mixinStandardHelpOptions = true,
        description = "Shows who waits, what each replica's workers build, the dead letters and the last hour.")
final class QueueCommand implements Callable<Integer> {

    @ParentCommand
    Deployctl root;

    @Override
    public Integer call() {
        JsonNode queue = root.client().get("queue");
        if (root.json) {
            root.printJson(queue);
            return 0;
        }
        PrintWriter out = root.out();
        JsonNode hour = queue.path("lastHour");
        out.printf(
                "waiting %d · building %d · last hour: deployed %d, failed %d, cancelled %d%n",
                queue.path("length").asLong(),
                queue.path("building").asInt(),
                hour.path("deployed").asInt(),
                hour.path("failed").asInt(),
                hour.path("cancelled").asInt());
        out.println();
        Table waiting = new Table("POSITION", "WAITING");
        queue.path("waiting")
                .forEach(w -> waiting.row(
                        Integer.toString(w.path("position").asInt() + 1),
                        w.path("id").asString()));
        print(out, waiting, "nobody waits");
        Table consumers = new Table("REPLICA", "CONSUMER", "HEARTBEAT", "BUILDING");
        queue.path("consumers")
                .forEach(c -> consumers.row(
                        c.path("replica").asString(),
                        c.path("consumer").asString(),
                        c.path("alive").asBoolean() ? "alive" : "lapsed",
                        c.path("building").isEmpty()
                                ? "idle"
                                : String.join(
                                        " ",
                                        c.path("building")
                                                .valueStream()
                                                .map(JsonNode::asString)
                                                .toList())));
        print(out, consumers, "no consumers");
        Table dead = new Table("DEAD LETTER", "ERROR");
        queue.path("deadLetters")
                .forEach(d -> dead.row(d.path("id").asString(), d.path("error").asString(null)));
        print(out, dead, "no dead letters");
        return 0;
    }

    private static void print(PrintWriter out, Table table, String none) {
        if (table.isEmpty()) {
            out.println(none);
        } else {
            table.print(out);
        }
        out.println();
        out.flush();
    }
}
