package dev.deploypipeline.project;

import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.redis.LuaScript;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Instant;
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

    // Forward only: the alias moves to a deployment created after the one it serves now, never back.
    private static final LuaScript PROMOTE = new LuaScript("""
            local candidate = redis.call('ZSCORE', KEYS[2], ARGV[2])
            if not candidate then return 0 end
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            if current then
              local currentScore = redis.call('ZSCORE', KEYS[2], current)
              if currentScore and tonumber(currentScore) >= tonumber(candidate) then return 0 end
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('PUBLISH', KEYS[3], ARGV[1])
            return 1
            """, ScriptOutputType.INTEGER);

    private static final LuaScript POINT = new LuaScript("""
            if not redis.call('ZSCORE', KEYS[2], ARGV[2]) then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('PUBLISH', KEYS[3], ARGV[1])
            return 1
            """, ScriptOutputType.INTEGER);

    private final RedisCommands<String, String> redis;
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
        redis.del(key);
        redis.hset(key, fields);
        redis.zadd(keys.prefix() + "projects", project.createdAt().toEpochMilli(), project.name().value());
    }

    public Optional<Project> find(ProjectName name) {
        Map<String, String> f = redis.hgetall(projectKey(name));
        if (f.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Project(name, f.get("repoUrl"), f.get("branch"), BuildSettings.readFrom(f),
                Boolean.parseBoolean(f.get("spaFallback")), Instant.parse(f.get("createdAt"))));
    }

    /** Every project's name, oldest first. */
    public List<ProjectName> names() {
        return redis.zrange(keys.prefix() + "projects", 0, -1).stream().map(ProjectName::new).toList();
    }

    /** Adds a deployment to the project's history; its creation time orders it against the others. */
    public void recordDeployment(ProjectName name, DeploymentId id, Instant createdAt) {
        redis.zadd(historyKey(name), createdAt.toEpochMilli(), id.value());
    }

    /** The project's deployments, newest first. */
    public List<DeploymentId> history(ProjectName name, int limit) {
        return redis.zrevrange(historyKey(name), 0, Math.max(0, limit - 1)).stream().map(DeploymentId::new).toList();
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
        return Optional.ofNullable(redis.hget(aliasesKey(), name.value())).flatMap(DeploymentId::parse);
    }

    private boolean run(LuaScript script, ProjectName name, DeploymentId id) {
        Long moved = script.run(redis, new String[] {aliasesKey(), historyKey(name), aliasesKey()},
                name.value(), id.value());
        return moved != null && moved == 1L;
    }

    /** The pub/sub channel on which alias changes are announced, with the project's name as message. */
    public String aliasChannel() {
        return aliasesKey();
    }

    private String aliasesKey() {
        return keys.prefix() + "aliases";
    }

    private String projectKey(ProjectName name) {
        return keys.prefix() + "project:" + name;
    }

    private String historyKey(ProjectName name) {
        return keys.prefix() + "project:" + name + ":deployments";
    }
}
