package dev.deploypipeline.upload.notifications;

import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** A project's notification targets: the hash {@code project:{name}:notifications}, id to the target as JSON. */
@Component
class TargetStore {

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;
    private final JsonMapper json;

    TargetStore(RedisConnector connector, JsonMapper json) {
        this.redis = connector.shared().sync();
        this.keys = connector.keys();
        this.json = json;
    }

    void save(NotificationTarget target) {
        redis.hset(keys.notificationTargets(target.project()), target.id(), json.writeValueAsString(target));
    }

    /** The project's targets, oldest first. */
    List<NotificationTarget> of(String project) {
        return redis.hvals(keys.notificationTargets(project)).stream()
                .map(value -> json.readValue(value, NotificationTarget.class))
                .sorted(Comparator.comparing(NotificationTarget::createdAt).thenComparing(NotificationTarget::id))
                .toList();
    }

    Optional<NotificationTarget> find(String project, String id) {
        return Optional.ofNullable(redis.hget(keys.notificationTargets(project), id))
                .map(value -> json.readValue(value, NotificationTarget.class));
    }

    boolean remove(String project, String id) {
        return redis.hdel(keys.notificationTargets(project), id) > 0;
    }
}
