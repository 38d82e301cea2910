package dev.deploypipeline.testing;

import dev.deploypipeline.redis.RedisConnector;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Redis for one test class, as a static {@code @RegisterExtension} field: started before the first
 * test, emptied before each, stopped after the last, with a {@link RedisConnector} to it.
 */
public final class RedisExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private RedisServer server;
    private RedisConnector connector;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = RedisServer.start();
        connector = new RedisConnector(server.settings());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        redis().flushall();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        connector.close();
        server.close();
    }

    public RedisConnector connector() {
        return connector;
    }

    public RedisClusterCommands<String, String> redis() {
        return connector.shared().sync();
    }

    public RedisServer server() {
        return server;
    }
}
