package dev.deploypipeline.project;

import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.DeploymentId;
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
 * (name → the deployment its site serves). Every change of an alias is announced on the
 * {@code aliases} channel so caches can drop it.
 */
public final class ProjectStore {

    private static final LuaScript SAVE = LuaScript.resource(ProjectStore.class, "save.lua", ScriptOutputType.INTEGER);
    private static final LuaScript PROMOTE =
            LuaScript.resource(ProjectStore.class, "promote.lua", ScriptOutputType.INTEGER);
    private static final LuaScript POINT =
            LuaScript.resource(ProjectStore.class, "point.lua", ScriptOutputType.INTEGER);

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
                Instant.parse(f.get("createdAt"))));
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
     * serves a newer one. Returns whether it moved.
     */
    public boolean promote(ProjectName name, DeploymentId id) {
        return run(PROMOTE, name, id);
    }

    /** Points the alias at any deployment of the project's history, at once (a rollback). */
    public boolean pointAliasAt(ProjectName name, DeploymentId id) {
        return run(POINT, name, id);
    }

    /** The deployment the project's site serves now. */
    public Optional<DeploymentId> aliasTarget(ProjectName name) {
        return Optional.ofNullable(redis.hget(keys.aliases(), name.value())).flatMap(DeploymentId::parse);
    }

    private boolean run(LuaScript script, ProjectName name, DeploymentId id) {
        Long moved = script.run(
                redis, new String[] {keys.aliases(), historyKey(name)}, name.value(), id.value(), keys.aliases());
        return moved != null && moved == 1L;
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
