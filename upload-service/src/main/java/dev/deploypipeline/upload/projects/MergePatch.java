package dev.deploypipeline.upload.projects;

import dev.deploypipeline.upload.problems.InvalidRequestException;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON merge patch (RFC 7396) of a project's settings: a field the patch leaves out stays as it is, one it sets
 * to {@code null} is removed, an object ({@code env}) is merged name by name, anything else replaces the value.
 * Only the fields of {@link ProjectRequest} may be named.
 */
final class MergePatch {

    private MergePatch() {}

    static ProjectRequest apply(ProjectRequest current, JsonNode patch, JsonMapper json) {
        if (patch == null || !patch.isObject()) {
            throw new InvalidRequestException("a patch is a JSON object of the settings to change");
        }
        List<String> unknown = patch.propertyNames().stream()
                .filter(name -> !ProjectRequest.FIELDS.contains(name))
                .sorted()
                .toList();
        if (!unknown.isEmpty()) {
            throw new InvalidRequestException("a project has no setting " + String.join(", ", unknown) + "; it has "
                    + ProjectRequest.FIELDS.stream().sorted().toList());
        }
        JsonNode merged = merge(json.valueToTree(current), patch, json);
        try {
            return json.treeToValue(merged, ProjectRequest.class);
        } catch (JacksonException e) {
            throw new InvalidRequestException("the patch cannot be applied: " + e.getOriginalMessage());
        }
    }

    /** RFC 7396, section 2. */
    private static JsonNode merge(JsonNode target, JsonNode patch, JsonMapper json) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result =
                target != null && target.isObject() ? (ObjectNode) target.deepCopy() : json.createObjectNode();
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), merge(result.get(field.getKey()), field.getValue(), json));
            }
        }
        return result;
    }
}
