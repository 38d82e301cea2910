package dev.deploypipeline.upload.hooks;

import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.redis.LuaScript;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.commons.codec.digest.DigestUtils;
import org.springframework.stereotype.Component;

/**
 * Deploy hooks in Redis: {@code hook:{sha256}} (its id, project, name, creation time), found by the SHA-256 of its
 * secret, and {@code project:{name}:hooks} (id → that SHA-256), to list and revoke them. Both change in one script.
 */
@Component
class HookStore {

    private static final LuaScript SAVE =
            LuaScript.resource(HookStore.class, "save-hook.lua", ScriptOutputType.INTEGER);
    private static final LuaScript REVOKE =
            LuaScript.resource(HookStore.class, "revoke-hook.lua", ScriptOutputType.INTEGER);

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;

    HookStore(RedisConnector connector) {
        this.redis = connector.shared().sync();
        this.keys = connector.keys();
    }

    void save(Hook hook, String secret) {
        String hash = DigestUtils.sha256Hex(secret);
        SAVE.run(
                redis,
                new String[] {keys.hook(hash), keys.projectHooks(hook.project().value())},
                hook.id(),
                hash,
                hook.project().value(),
                hook.name(),
                hook.createdAt().toString());
    }

    /** The hook whose secret this is, if it is one still. */
    Optional<Hook> find(String secret) {
        return hook(redis.hgetall(keys.hook(DigestUtils.sha256Hex(secret))));
    }

    /** The project's hooks, oldest first. */
    List<Hook> list(ProjectName project) {
        return redis.hvals(keys.projectHooks(project.value())).stream()
                .map(hash -> hook(redis.hgetall(keys.hook(hash))))
                .flatMap(Optional::stream)
                .sorted(Comparator.comparing(Hook::createdAt))
                .toList();
    }

    /** Revokes the project's hook; false when it has none of that id. */
    boolean revoke(ProjectName project, String id) {
        String hash = redis.hget(keys.projectHooks(project.value()), id);
        if (hash == null) {
            return false;
        }
        Long revoked = REVOKE.run(redis, new String[] {keys.hook(hash), keys.projectHooks(project.value())}, id, hash);
        return Objects.equals(revoked, 1L);
    }

    private static Optional<Hook> hook(Map<String, String> f) {
        return f.isEmpty()
                ? Optional.empty()
                : ProjectName.parse(f.get("project"))
                        .map(project ->
                                new Hook(f.get("id"), project, f.get("name"), Instant.parse(f.get("createdAt"))));
    }
}
