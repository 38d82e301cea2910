package dev.deploypipeline.upload.notifications;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.deployment.DeploymentStore;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.upload.deployments.SiteUrls;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The deployment as a notice tells it, taken when the event is read: id, project, commit, branch, the state the
 * event moved it to, error, timings, its site's URL and a link to it, as one JSON object kept with each delivery.
 */
@Component
class EventPayloads {

    private static final String HEADS = "refs/heads/";

    private final DeploymentStore deployments;
    private final SiteUrls sites;
    private final NotifySettings settings;
    private final JsonMapper json;

    EventPayloads(DeploymentStore deployments, SiteUrls sites, NotifySettings settings, JsonMapper json) {
        this.deployments = deployments;
        this.sites = sites;
        this.settings = settings;
        this.json = json;
    }

    /**
     * What a notice says of the deployment, told by the {@code deployment-events} entry {@code entry}: the state it
     * moved to, and for a site move which site ({@code site}) and whether a rollback pinned it ({@code pinned}).
     */
    Optional<Snapshot> of(DeploymentId id, Map<String, String> entry) {
        return deployments.find(id).map(deployment -> snapshot(deployment, entry));
    }

    private Snapshot snapshot(Deployment deployment, Map<String, String> entry) {
        String state = entry.get("state");
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", deployment.id().value());
        fields.put("project", deployment.project());
        fields.put("commit", deployment.commit());
        fields.put("branch", branchOf(deployment.ref()));
        fields.put(
                "state",
                DeploymentState.fromWord(state)
                        .map(DeploymentState::word)
                        .orElse(deployment.status().word()));
        fields.put("error", deployment.error());
        fields.put("createdAt", text(deployment.createdAt()));
        fields.put("uploadedAt", text(deployment.uploadedAt()));
        fields.put("buildStartedAt", text(deployment.buildStartedAt()));
        fields.put("finishedAt", text(deployment.finishedAt()));
        fields.put("url", sites.of(deployment.id()));
        fields.put("siteUrl", deployment.project() == null ? null : sites.of(new ProjectName(deployment.project())));
        fields.put(
                "link", settings.linkPattern().replace("{id}", deployment.id().value()));
        if (!entry.getOrDefault("move", "").isEmpty()) {
            fields.put("site", entry.get("site"));
            fields.put("pinned", Boolean.parseBoolean(entry.get("pinned")));
        }
        fields.values().removeIf(Objects::isNull);
        return new Snapshot(json.writeValueAsString(fields), deployment.commit());
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }

    private static String branchOf(String ref) {
        return ref != null && ref.startsWith(HEADS) ? ref.substring(HEADS.length()) : ref;
    }

    /** The JSON object, and the commit (null while it is not known) that a commit status needs. */
    record Snapshot(String json, String commit) {}
}
