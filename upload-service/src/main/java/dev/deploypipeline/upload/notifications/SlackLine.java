package dev.deploypipeline.upload.notifications;

import tools.jackson.databind.JsonNode;

/** The one line a Slack channel reads: what happened to which deployment of which project, and a link. */
final class SlackLine {

    private SlackLine() {}

    static String of(NotificationEvent event, JsonNode deployment) {
        String project = deployment.path("project").asString("");
        String id = deployment.path("id").asString("");
        String where = where(deployment);
        String what = switch (event) {
            case CREATED -> ":inbox_tray: " + project + ": deployment " + id + " queued" + where;
            case BUILDING -> ":hammer_and_wrench: " + project + ": building " + id + where;
            case SUCCEEDED -> ":white_check_mark: " + project + ": deployed " + id + where;
            case FAILED ->
                ":x: " + project + ": deployment " + id + " failed" + where + ": "
                        + firstLine(deployment.path("error").asString(""));
            case CANCELLED -> ":no_entry_sign: " + project + ": deployment " + id + " cancelled" + where;
            case PROMOTED -> ":rocket: " + project + ": " + site(deployment) + " now serves " + id + where;
            case ROLLED_BACK ->
                ":rewind: " + project + ": " + site(deployment) + " was rolled back to " + id + where
                        + ("true".equals(deployment.path("pinned").toString())
                                ? ", and stays there until a deployment is promoted"
                                : "");
        };
        boolean live = event == NotificationEvent.SUCCEEDED
                || event == NotificationEvent.PROMOTED
                || event == NotificationEvent.ROLLED_BACK;
        String link = live
                ? deployment.path("url").asString("")
                : deployment.path("link").asString("");
        return escape(what) + " <" + link + "|" + (live ? "open the site" : "open the log") + ">";
    }

    private static String site(JsonNode deployment) {
        String site = deployment.path("site").asString("");
        return site.isEmpty() || site.equals(deployment.path("project").asString("")) ? "the site" : site;
    }

    private static String where(JsonNode deployment) {
        String branch = deployment.path("branch").asString("");
        String commit = deployment.path("commit").asString("");
        String shortCommit = commit.length() > 7 ? commit.substring(0, 7) : commit;
        if (branch.isEmpty() && shortCommit.isEmpty()) {
            return "";
        }
        return " (" + branch + (branch.isEmpty() || shortCommit.isEmpty() ? "" : " @ ") + shortCommit + ")";
    }

    private static String firstLine(String error) {
        String line = error.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    /** Slack reads {@code &}, {@code <} and {@code >} as markup. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
