package dev.deploypipeline.upload.webhook;

import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import dev.deploypipeline.upload.git.RepositoryKey;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * What GitHub has sent, so nothing is handled twice (SET NX EX): each delivery id in {@code github-delivery:{id}}
 * for {@code GITHUB_DELIVERY_TTL}, against retries and replays of a delivery; and each push that deployed in
 * {@code github-push:{repository}:{ref}:{before}:{after}} for {@code GITHUB_PUSH_TTL}, against a captured payload
 * replayed under new delivery ids (its signature stays valid forever). {@code before} is part of the push's key so
 * a branch forced back to a commit it had before is a new push, and deploys.
 */
@Component
class DeliveryLedger {

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;
    private final Duration deliveryTtl;
    private final Duration pushTtl;

    DeliveryLedger(RedisConnector connector, WebhookSettings settings) {
        this.redis = connector.shared().sync();
        this.keys = connector.keys();
        this.deliveryTtl = settings.deliveryTtl();
        this.pushTtl = settings.pushTtl();
    }

    /** Records the delivery; false when it was recorded already. */
    boolean firstTime(String deliveryId) {
        return setOnce(keys.githubDelivery(deliveryId), deliveryTtl);
    }

    /** Forgets a delivery whose handling failed, so GitHub's redelivery of it is handled. */
    void forget(String deliveryId) {
        redis.del(keys.githubDelivery(deliveryId));
    }

    /**
     * Records the push, a branch's deletion too; false when the same push (repository, ref, before, after) was
     * recorded already.
     */
    boolean firstTime(RepositoryKey repository, PushEvent push) {
        return setOnce(pushKey(repository, push), pushTtl);
    }

    /** Forgets a push whose deployments could not be started, so a redelivery of it deploys. */
    void forget(RepositoryKey repository, PushEvent push) {
        redis.del(pushKey(repository, push));
    }

    private boolean setOnce(String key, Duration ttl) {
        return "OK".equals(redis.set(key, "1", SetArgs.Builder.nx().ex(ttl)));
    }

    /**
     * A push is told apart by where it moved its ref from and to, and, where the payload says it, when the
     * repository was pushed to ({@code repository.pushed_at}), which a replay repeats: a branch deleted, made again
     * at the same commit and deleted again moves the same way each time.
     */
    private String pushKey(RepositoryKey repository, PushEvent push) {
        String moved = push.ref() + ":" + push.before() + ":" + push.after();
        String when =
                push.repository().pushedAt() != null ? ":" + push.repository().pushedAt() : "";
        return keys.githubPush(repository.value() + ":" + moved + when);
    }
}
