package dev.deploypipeline.upload.webhook;

import dev.deploypipeline.redis.RedisConnector;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The delivery ids GitHub has sent, each in {@code github-delivery:{id}} for {@code GITHUB_DELIVERY_TTL}
 * (SET NX EX), so a delivery sent again, by a retry or a replay, is handled once.
 */
@Component
class DeliveryLedger {

    private final RedisCommands<String, String> redis;
    private final String prefix;
    private final Duration ttl;

    DeliveryLedger(RedisConnector connector, WebhookSettings settings) {
        this.redis = connector.shared().sync();
        this.prefix = connector.keys().prefix() + "github-delivery:";
        this.ttl = settings.deliveryTtl();
    }

    /** Records the delivery; false when it was recorded already. */
    boolean firstTime(String deliveryId) {
        return "OK".equals(redis.set(prefix + deliveryId, "1", SetArgs.Builder.nx().ex(ttl)));
    }

    /** Forgets a delivery whose handling failed, so GitHub's redelivery of it is handled. */
    void forget(String deliveryId) {
        redis.del(prefix + deliveryId);
    }
}
