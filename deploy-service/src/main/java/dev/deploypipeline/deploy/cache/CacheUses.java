package dev.deploypipeline.deploy.cache;

import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import dev.deploypipeline.storage.StoredObjectInfo;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When each entry of a scope's group was last saved or restored, by any replica, in Redis ({@code
 * cache-used:{group}}, a sorted set of entry names below the group, scored by that time in ms), so a save removes
 * the group's least recently used entries first. An entry Redis knows nothing of (saved before it kept this, or lost with Redis's data) counts as used when
 * the bucket last stored it. Recording a use is best-effort: a build never fails for it.
 */
final class CacheUses {

    private static final Logger log = LoggerFactory.getLogger(CacheUses.class);

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;
    private final Clock clock;

    CacheUses(RedisConnector connector, Clock clock) {
        this.redis = connector.shared().sync();
        this.keys = connector.keys();
        this.clock = clock;
    }

    /** The entry was saved or restored now. */
    void used(CacheScope scope, String key) {
        try {
            redis.zadd(keys.cacheUsed(scope.group()), clock.millis(), name(scope, key));
        } catch (RuntimeException e) {
            log.warn("Could not record the use of the cache entry {}", key, e);
        }
    }

    /** The {@code entries} of the scope's group listed in the bucket, most recently used first. */
    List<StoredObjectInfo> newestFirst(CacheScope scope, List<StoredObjectInfo> entries) {
        Map<String, Double> usedAt = new HashMap<>();
        for (ScoredValue<String> use : redis.zrangeWithScores(keys.cacheUsed(scope.group()), 0, -1)) {
            usedAt.put(use.getValue(), use.getScore());
        }
        Comparator<StoredObjectInfo> byUse = Comparator.comparingDouble(entry -> usedAt.getOrDefault(
                name(scope, entry.key()), (double) entry.lastModified().toEpochMilli()));
        return entries.stream()
                .sorted(byUse.reversed().thenComparing(StoredObjectInfo::key))
                .toList();
    }

    /** The entry was removed from the bucket. */
    void forget(CacheScope scope, String key) {
        redis.zrem(keys.cacheUsed(scope.group()), name(scope, key));
    }

    /** An entry's key below its group: its file's name, or a preview's {@code {label}/{name}}. */
    private static String name(CacheScope scope, String key) {
        return key.substring(scope.group().length());
    }
}
