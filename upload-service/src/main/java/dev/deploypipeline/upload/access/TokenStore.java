package dev.deploypipeline.upload.access;

import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.redis.LuaScript;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.codec.digest.DigestUtils;
import org.springframework.stereotype.Component;

/**
 * Tokens made through the API, in Redis: {@code token:{sha256}} (a hash of the token's id, name, scope, projects,
 * creation and expiry time, found by the SHA-256 of the value presented, expiring with the token) and {@code tokens}
 * (a hash of id → SHA-256, to list and revoke them). A token's value is never stored, so a copy of Redis holds no
 * usable token.
 */
@Component
public class TokenStore {

    // KEYS: token:{sha256}, tokens. ARGV: id, sha256, name, scope, projects, createdAt, and for a token that expires
    // expiresAt and the same in ms since the epoch (both empty for one that does not).
    private static final LuaScript SAVE = new LuaScript("""
            redis.call('HSET', KEYS[1], 'id', ARGV[1], 'name', ARGV[3], 'scope', ARGV[4], 'projects', ARGV[5],
                'createdAt', ARGV[6])
            if ARGV[7] ~= '' then
              redis.call('HSET', KEYS[1], 'expiresAt', ARGV[7])
              redis.call('PEXPIREAT', KEYS[1], ARGV[8])
            end
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
            return 1
            """, ScriptOutputType.INTEGER);

    // KEYS: tokens, token:{sha256}. ARGV: id, sha256. Returns 1 when it removed the token.
    private static final LuaScript REVOKE = new LuaScript("""
            if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
            redis.call('DEL', KEYS[2])
            redis.call('HDEL', KEYS[1], ARGV[1])
            return 1
            """, ScriptOutputType.INTEGER);

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;

    public TokenStore(RedisConnector connector) {
        this.redis = connector.shared().sync();
        this.keys = connector.keys();
    }

    /** Keeps a new token under the hash of its {@code value}. */
    public void save(StoredToken token, String value) {
        String hash = DigestUtils.sha256Hex(value);
        SAVE.run(
                redis,
                new String[] {tokenKey(hash), listKey()},
                token.id(),
                hash,
                token.name(),
                token.scope().word(),
                token.projects().stream().map(ProjectName::value).sorted().collect(Collectors.joining(",")),
                token.createdAt().toString(),
                token.expiresAt() == null ? "" : token.expiresAt().toString(),
                token.expiresAt() == null ? "" : Long.toString(token.expiresAt().toEpochMilli()));
    }

    /** The token whose value has this SHA-256, unless it was revoked. */
    Optional<StoredToken> findByHash(byte[] sha256) {
        return read(redis.hgetall(tokenKey(HexFormat.of().formatHex(sha256))));
    }

    /** Every token, newest first; the id of one that expired, and that Redis has forgotten, is let go. */
    public List<StoredToken> all() {
        List<StoredToken> all = new ArrayList<>();
        redis.hgetall(listKey())
                .forEach((id, hash) -> read(redis.hgetall(tokenKey(hash)))
                        .ifPresentOrElse(
                                all::add, () -> REVOKE.run(redis, new String[] {listKey(), tokenKey(hash)}, id, hash)));
        all.sort(Comparator.comparing(StoredToken::createdAt).reversed());
        return all;
    }

    /** Revokes the token at once; false when there is no token with this id. */
    public boolean revoke(String id) {
        String hash = redis.hget(listKey(), id);
        if (hash == null) {
            return false;
        }
        Long removed = REVOKE.run(redis, new String[] {listKey(), tokenKey(hash)}, id, hash);
        return removed != null && removed == 1L;
    }

    private static Optional<StoredToken> read(Map<String, String> fields) {
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        String projects = fields.getOrDefault("projects", "");
        return Optional.of(new StoredToken(
                fields.get("id"),
                fields.get("name"),
                Scope.parse(fields.get("scope")),
                projects.isEmpty()
                        ? Set.of()
                        : Arrays.stream(projects.split(","))
                                .map(ProjectName::new)
                                .collect(Collectors.toSet()),
                Instant.parse(fields.get("createdAt")),
                fields.containsKey("expiresAt") ? Instant.parse(fields.get("expiresAt")) : null));
    }

    private String tokenKey(String hash) {
        return keys.token(hash);
    }

    private String listKey() {
        return keys.tokens();
    }
}
