package dev.deploypipeline.project;

import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.redis.LuaScript;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Branch previews in Redis: {@code project:{name}:previews} (label → the branch holding it) and, in the
 * {@code aliases} hash beside the projects' own entries, label → the deployment the preview serves, so a host
 * {@code {branch}--{project}} is found as a project's is. Each step is one Lua script beside {@link ProjectStore}.
 */
public final class PreviewStore {

    private static final LuaScript CLAIM =
            LuaScript.resource(ProjectStore.class, "claim-preview.lua", ScriptOutputType.MULTI);
    private static final LuaScript PROMOTE =
            LuaScript.resource(ProjectStore.class, "promote-preview.lua", ScriptOutputType.INTEGER, "_site-move.lua");
    private static final LuaScript REMOVE =
            LuaScript.resource(ProjectStore.class, "remove-preview.lua", ScriptOutputType.INTEGER);
    private static final LuaScript RELEASE =
            LuaScript.resource(ProjectStore.class, "release-preview.lua", ScriptOutputType.INTEGER);

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;

    public PreviewStore(RedisConnector connector) {
        this.redis = connector.shared().sync();
        this.keys = connector.keys();
    }

    /** Makes the label the branch's, unless it is another branch's or a project's name. */
    public Claim claim(PreviewAlias preview) {
        List<Object> answer = CLAIM.run(
                redis,
                new String[] {keys.previews(preview.project().value()), keys.project(preview.label())},
                preview.label(),
                preview.branch());
        long code = (Long) answer.get(0);
        return new Claim(code == 1L, code == -1L ? null : (String) answer.get(1));
    }

    /** What a claim found: whether the branch holds the label, and which branch does (none: a project's name). */
    public record Claim(boolean held, String holder) {}

    /** Points the preview at a deployment of its branch just deployed, forward only, while the branch holds it. */
    public boolean promote(PreviewAlias preview, DeploymentId id) {
        String project = preview.project().value();
        Long moved = PROMOTE.run(
                redis,
                new String[] {
                    keys.aliases(), keys.projectHistory(project), keys.previews(project), keys.deploymentEvents()
                },
                preview.label(),
                id.value(),
                preview.branch(),
                keys.aliases(),
                project,
                DeploymentState.DEPLOYED.word());
        return moved != null && moved == 1L;
    }

    /** Removes the branch's preview, when it holds one: the host then serves nothing. */
    public boolean remove(PreviewAlias preview) {
        Long removed = REMOVE.run(
                redis,
                new String[] {keys.aliases(), keys.previews(preview.project().value())},
                preview.label(),
                preview.branch(),
                keys.aliases());
        return removed != null && removed == 1L;
    }

    /**
     * Gives up the branch's label while it serves no deployment yet: a deployment that claimed it builds the project's
     * site after all. A label that serves one stays. Whether it was given up.
     */
    public boolean release(PreviewAlias preview) {
        Long released = RELEASE.run(
                redis,
                new String[] {keys.aliases(), keys.previews(preview.project().value())},
                preview.label(),
                preview.branch());
        return released != null && released == 1L;
    }

    /** The project's previews, by label: the branch and, once one is deployed, what it serves. */
    public Map<String, Preview> previews(ProjectName project) {
        Map<String, Preview> previews = new TreeMap<>();
        redis.hgetall(keys.previews(project.value()))
                .forEach((label, branch) -> previews.put(
                        label,
                        new Preview(
                                new PreviewAlias(project, branch, label),
                                Optional.ofNullable(redis.hget(keys.aliases(), label))
                                        .flatMap(DeploymentId::parse))));
        return previews;
    }

    /** One preview and the deployment it serves, if any yet. */
    public record Preview(PreviewAlias alias, Optional<DeploymentId> deployment) {}
}
