package dev.deploypipeline.site.routing;

import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.project.ProjectStore;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.threads.NamedThreads;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Listens on the {@code aliases} channel, where every move of a project's alias is announced with the
 * project's name, and drops that project from the {@link SiteDirectory}. Lettuce reconnects and subscribes
 * again by itself; each (re)subscription drops everything, since announcements made while the connection
 * was down are lost.
 */
@Component
class AliasChangeSubscriber implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AliasChangeSubscriber.class);

    private final SiteDirectory directory;
    private final StatefulRedisPubSubConnection<String, String> connection;
    // Listener callbacks run on Lettuce's event loop, which must never block; dropping an entry can wait
    // for a lookup of the same project that is running on the shared connection.
    private final ExecutorService invalidations = NamedThreads.pool("alias-changes", 1);

    AliasChangeSubscriber(RedisConnector redis, ProjectStore projects, SiteDirectory directory) {
        this.directory = directory;
        this.connection = redis.connectPubSub();
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String project) {
                ProjectName.parse(project).ifPresent(name -> invalidations.execute(() -> directory.forget(name)));
            }

            @Override
            public void subscribed(String channel, long count) {
                log.info("Listening for alias changes on {}", channel);
                invalidations.execute(directory::forgetAll);
            }
        });
        connection.sync().subscribe(projects.aliasChannel());
    }

    @Override
    public void close() throws InterruptedException {
        connection.close();
        invalidations.shutdown();
        if (!invalidations.awaitTermination(5, TimeUnit.SECONDS)) {
            invalidations.shutdownNow();
        }
    }
}
