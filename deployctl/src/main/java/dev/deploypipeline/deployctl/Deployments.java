package dev.deploypipeline.deployctl;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** How a deployment's record reads in a terminal. */
final class Deployments {

    private Deployments() {}

    /** Its fields, one per line, as {@code status} prints them. */
    static void describe(JsonNode d, PrintWriter out) {
        line(out, "id", d.path("id").asString());
        line(out, "status", d.path("status").asString());
        line(out, "repository", d.path("repoUrl").asString(null));
        line(out, "branch", text(d, "branch", "default branch"));
        line(out, "commit", d.path("commit").asString(null));
        line(out, "project", d.path("project").asString(null));
        line(out, "created", d.path("createdAt").asString(null));
        line(out, "queue wait", duration(d, "uploadedAt", "buildStartedAt"));
        line(out, "build", duration(d, "buildStartedAt", "finishedAt"));
        if (d.has("queuePosition")) {
            line(out, "ahead in queue", d.path("queuePosition").asString());
        }
        line(out, "attempts", d.path("attempts").asString());
        line(out, "url", d.path("url").asString(null));
        line(out, "error", d.path("error").asString(null));
        out.flush();
    }

    static String[] row(JsonNode d) {
        return new String[] {
            d.path("id").asString(),
            d.path("status").asString(),
            d.path("project").asString(null),
            text(d, "branch", null),
            shortCommit(d),
            age(d.path("createdAt").asString(null)),
            duration(d, "buildStartedAt", "finishedAt"),
            d.path("url").asString(null)
        };
    }

    static final String[] HEADER = {"ID", "STATUS", "PROJECT", "BRANCH", "COMMIT", "CREATED", "BUILD", "URL"};

    /** The request body of {@code POST /deploy}, the {@code null} values left out. */
    static Map<String, Object> withoutNulls(Map<String, Object> body) {
        body.values().removeIf(value -> value == null);
        return body;
    }

    private static String text(JsonNode d, String field, String otherwise) {
        String value = d.path(field).asString(null);
        return value == null ? otherwise : value;
    }

    private static String shortCommit(JsonNode d) {
        String commit = d.path("commit").asString(null);
        return commit == null ? null : commit.substring(0, Math.min(7, commit.length()));
    }

    private static void line(PrintWriter out, String name, String value) {
        if (value != null) {
            out.printf("%-15s %s%n", name + ":", value);
        }
    }

    static String age(String time) {
        if (time == null) {
            return null;
        }
        Duration ago = Duration.between(Instant.parse(time), Instant.now());
        return format(ago) + " ago";
    }

    private static String duration(JsonNode d, String from, String to) {
        String start = d.path(from).asString(null);
        if (start == null) {
            return null;
        }
        String end = d.path(to).asString(null);
        return format(Duration.between(Instant.parse(start), end == null ? Instant.now() : Instant.parse(end)));
    }

    static String format(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + String.format("%02d", seconds % 60) + "s";
        }
        return seconds / 3600 + "h" + String.format("%02d", seconds / 60 % 60) + "m";
    }
}
