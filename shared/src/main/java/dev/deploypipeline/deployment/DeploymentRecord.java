package dev.deploypipeline.deployment;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** How a {@link Deployment} is written in its {@code deployment:{id}} hash: its field names and their text. */
final class DeploymentRecord {

    private DeploymentRecord() {}

    static Map<String, String> fields(Deployment d) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", d.id().value());
        put(fields, "repoUrl", d.repoUrl());
        put(fields, "ref", d.ref());
        put(fields, "commit", d.commit());
        put(fields, "project", d.project());
        fields.put("status", d.status().word());
        put(fields, "error", d.error());
        put(fields, "createdAt", d.createdAt());
        put(fields, "uploadedAt", d.uploadedAt());
        put(fields, "buildStartedAt", d.buildStartedAt());
        put(fields, "finishedAt", d.finishedAt());
        fields.put("attempts", Integer.toString(d.attempts()));
        d.build().writeTo(fields);
        put(fields, "preview", d.preview());
        put(fields, "siteUrl", d.siteUrl());
        return fields;
    }

    static Deployment read(DeploymentId id, Map<String, String> f) {
        return new Deployment(
                id,
                f.get("repoUrl"),
                f.get("ref"),
                f.get("commit"),
                f.get("project"),
                DeploymentState.fromWord(f.get("status")).orElse(DeploymentState.FAILED),
                f.get("error"),
                instant(f.get("createdAt")),
                instant(f.get("uploadedAt")),
                instant(f.get("buildStartedAt")),
                instant(f.get("finishedAt")),
                f.containsKey("attempts") ? Integer.parseInt(f.get("attempts")) : 0,
                BuildSettings.readFrom(f),
                f.get("preview"),
                f.get("siteUrl"));
    }

    private static void put(Map<String, String> fields, String name, Object value) {
        if (value != null) {
            fields.put(name, value.toString());
        }
    }

    private static Instant instant(String value) {
        return value == null ? null : Instant.parse(value);
    }
}
