package dev.deploypipeline.deploy.cache;

import dev.deploypipeline.redis.RedisConnector;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * The cache scopes of deployments of no project, hashed under this installation's key ({@code cache-scope-key} in
 * Redis): 32 random bytes the first replica that needs them creates with SET NX, so every replica of the
 * installation reads the same and names the same scopes, with nothing to configure. Each replica reads the key once
 * and keeps it. Should the key be lost, the next replica to start makes another: its scopes are new ones, so its
 * builds miss the cache once, and no entry of one scope is ever read for another.
 */
@Component
public class RepositoryScopes {

    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

    private final RedisClusterCommands<String, String> redis;
    private final String name;
    private final SecureRandom random = new SecureRandom();
    private volatile SecretKey key;

    public RepositoryScopes(RedisConnector connector) {
        this.redis = connector.shared().sync();
        this.name = connector.keys().cacheScopeKey();
    }

    /** See {@link CacheScope}: the same repository, root directory, commands and {@code env} name the same scope. */
    public CacheScope of(
            String repoUrl, String rootDirectory, String installCommand, String buildCommand, Map<String, String> env) {
        return CacheScope.ofRepository(key(), repoUrl, rootDirectory, installCommand, buildCommand, env);
    }

    private SecretKey key() {
        SecretKey known = key;
        if (known == null) {
            known = read();
            key = known;
        }
        return known;
    }

    /** The installation's key, made now if there is none; a failure leaves none kept, so the next call tries again. */
    private SecretKey read() {
        byte[] made = new byte[32];
        random.nextBytes(made);
        redis.set(name, HexFormat.of().formatHex(made), SetArgs.Builder.nx());
        String stored = redis.get(name);
        if (stored == null || !KEY.matcher(stored).matches()) {
            // Never hash under a key no other replica holds, nor under a short one someone wrote by hand.
            throw new IllegalStateException("the Redis key " + name + " holds no key of 64 hex digits");
        }
        return new SecretKeySpec(HexFormat.of().parseHex(stored), "HmacSHA256");
    }
}
