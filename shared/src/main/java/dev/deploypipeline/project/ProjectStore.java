package dev.deploypipeline.project;

import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.redis.LuaScript;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Projects in Redis: {@code project:{name}} (a hash of its settings), {@code projects} (every name),
 * {@code project:{name}:deployments} (its deployments scored by creation time) and the {@code aliases} hash
 * (name → the deployment its site serves; previews' labels too, see {@link PreviewStore}), and {@code alias-pins}
 * (name → the deployment a rollback pinned its site to). Every change of an alias is announced on the
 * {@code aliases} channel so caches can drop it, and told on {@code deployment-events} as a site move.
 */
public final class ProjectStore {

    private static final LuaScript SAVE = LuaScript.resource(ProjectStore.class, "save.lua", ScriptOutputType.INTEGER);
    private static final LuaScript PROMOTE =
            LuaScript.resource(ProjectStore.class, "promote.lua", ScriptOutputType.INTEGER, "_site-move.lua");
    private static final LuaScript POINT =
            LuaScript.resource(ProjectStore.class, "point.lua", ScriptOutputType.INTEGER);
    private static final LuaScript PROMOTE_TO =
            LuaScript.resource(ProjectStore.class, "promote-to.lua", ScriptOutputType.INTEGER);
    private static final String DEPLOYED = DeploymentState.DEPLOYED.word();

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;

    public ProjectStore(RedisConnector connector) {
        this.redis = connector.shared().sync();
        this.keys = connector.keys();
    }

    /** Creates the project or replaces its settings. */
    public void save(Project project) {
        String key = projectKey(project.name());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", project.name().value());
        fields.put("repoUrl", project.repoUrl());
        if (project.branch() != null) {
            fields.put("branch", project.branch());
        }
        fields.put("spaFallback", Boolean.toString(project.spaFallback()));
        fields.put("createdAt", project.createdAt().toString());
        fields.put("previewBranches", project.previewBranches().stored());
        project.build().writeTo(fields);
        List<String> args = new ArrayList<>(List.of(
                project.name().value(), Long.toString(project.createdAt().toEpochMilli())));
        fields.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        SAVE.run(redis, new String[] {key, keys.projects()}, args.toArray(String[]::new));
    }

    public Optional<Project> find(ProjectName name) {
        Map<String, String> f = redis.hgetall(projectKey(name));
        if (f.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Project(
                name,
                f.get("repoUrl"),
                f.get("branch"),
                BuildSettings.readFrom(f),
                Boolean.parseBoolean(f.get("spaFallback")),
                Instant.parse(f.get("createdAt")),
                PreviewBranches.fromStored(f.get("previewBranches"))));
    }

    /** Every project's name, oldest first. */
    public List<ProjectName> names() {
        return redis.zrange(keys.projects(), 0, -1).stream()
                .map(ProjectName::new)
                .toList();
    }

    /** The project's deployments, newest first. */
    public List<DeploymentId> history(ProjectName name, int limit) {
        return redis.zrevrange(historyKey(name), 0, Math.max(0, limit - 1)).stream()
                .map(DeploymentId::new)
                .toList();
    }

    /**
     * Points the project's alias at a deployment that has just been deployed, unless the alias already
     * serves a newer one or a rollback pinned it. Returns whether it moved.
     */
    public boolean promote(ProjectName name, DeploymentId id) {
        return run(PROMOTE, name, id) == 1L;
    }

    /**
     * Points the alias at any deployment of the project's history, at once (a rollback), and pins it there: later
     * deployments no longer move it until one is {@linkplain #promoteTo promoted} or the pin {@linkplain #unpin
     * lifted}. Returns whether it moved (false: the deployment is not the project's).
     */
    public boolean pointAliasAt(ProjectName name, DeploymentId id) {
        return run(POINT, name, id) == 1L;
    }

    /** Promotes a deployed deployment of the project: its site serves it at once, and the pin is lifted. */
    public Promotion promoteTo(ProjectName name, DeploymentId id) {
        Long answer = PROMOTE_TO.run(
                redis,
                new String[] {keys.aliases(), historyKey(name), keys.aliasPins(), keys.deploymentEvents(), keys.status()
                },
                name.value(),
                id.value(),
                keys.aliases(),
                DEPLOYED);
        return answer == 1L ? Promotion.PROMOTED : answer == 0L ? Promotion.NOT_THE_PROJECTS : Promotion.NOT_DEPLOYED;
    }

    /** What {@link #promoteTo} did. */
    public enum Promotion {
        PROMOTED,
        NOT_THE_PROJECTS,
        NOT_DEPLOYED
    }

    /** The deployment a rollback pinned the project's site to, while it is pinned. */
    public Optional<DeploymentId> pin(ProjectName name) {
        return Optional.ofNullable(redis.hget(keys.aliasPins(), name.value())).flatMap(DeploymentId::parse);
    }

    /** Lifts the pin, leaving the site where it is: the next deployment deployed after it moves it. */
    public boolean unpin(ProjectName name) {
        return redis.hdel(keys.aliasPins(), name.value()) == 1L;
    }

    /** The deployment the project's site serves now. */
    public Optional<DeploymentId> aliasTarget(ProjectName name) {
        return Optional.ofNullable(redis.hget(keys.aliases(), name.value())).flatMap(DeploymentId::parse);
    }

    private long run(LuaScript script, ProjectName name, DeploymentId id) {
        Long moved = script.run(
                redis,
                new String[] {keys.aliases(), historyKey(name), keys.aliasPins(), keys.deploymentEvents()},
                name.value(),
                id.value(),
                keys.aliases(),
                DEPLOYED);
        return moved == null ? 0L : moved;
    }

    /** The pub/sub channel on which alias changes are announced, with the project's name as message. */
    public String aliasChannel() {
        return keys.aliases();
    }

    private String projectKey(ProjectName name) {
        return keys.project(name.value());
    }

    private String historyKey(ProjectName name) {
        return keys.projectHistory(name.value());
    }
}
