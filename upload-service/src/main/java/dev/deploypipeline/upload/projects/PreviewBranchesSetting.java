package dev.deploypipeline.upload.projects;

import dev.deploypipeline.project.PreviewBranches;
import dev.deploypipeline.upload.problems.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** {@code previewBranches} as JSON: {@code "all"}, {@code "none"} (or left out), or a list of patterns. */
final class PreviewBranchesSetting {

    private static final String HOW =
            "previewBranches is \"all\", \"none\" or a list of branch patterns" + " such as [\"feature/*\"]";

    private PreviewBranchesSetting() {}

    static PreviewBranches read(JsonNode node) {
        if (node == null || node.isNull()) {
            return PreviewBranches.NONE;
        }
        if (node.isString()) {
            return switch (node.asString()) {
                case "all" -> PreviewBranches.ALL;
                case "none" -> PreviewBranches.NONE;
                default -> throw new InvalidRequestException(HOW);
            };
        }
        if (!node.isArray()) {
            throw new InvalidRequestException(HOW);
        }
        List<String> patterns = new ArrayList<>();
        for (JsonNode pattern : node) {
            if (!pattern.isString()) {
                throw new InvalidRequestException(HOW);
            }
            patterns.add(pattern.asString());
        }
        try {
            return new PreviewBranches(patterns);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }

    /** As the API shows it: a word for all or none, else the list. */
    static Object shown(PreviewBranches branches) {
        return branches.isAll() || branches.isNone() ? branches.stored() : branches.patterns();
    }

    static JsonNode node(PreviewBranches branches) {
        if (branches.isAll() || branches.isNone()) {
            return JsonNodeFactory.instance.stringNode(branches.stored());
        }
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        branches.patterns().forEach(list::add);
        return list;
    }
}
