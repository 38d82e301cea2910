package dev.deploypipeline.deploy.log;

import dev.deploypipeline.deploy.DeploySettings;
import dev.deploypipeline.redis.RedisConnection;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.redis.RedisKeys;
import io.lettuce.core.support.AsyncObjectFactory;
import io.lettuce.core.support.BoundedAsyncPool;
import io.lettuce.core.support.BoundedPoolConfig;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The connections this replica's live logs are sent on. A build's log holds one that no other build uses while it
 * runs, so a flooding build holds up neither another build's lines nor the queue's commands; when the log closes
 * the connection is kept, idle, for the next build, which so skips a TCP connect and Redis's handshake (a few
 * percent of a replica's CPU when builds are small). Lettuce's bounded pool keeps them, at most one per worker
 * ({@code DEPLOY_WORKERS}); they are named {@value #CLIENT_NAME} in {@code CLIENT LIST}. A connection whose log saw
 * Redis fail is closed rather than kept, as what it may still have on its way would go ahead of the next build's
 * lines. The idle ones are closed with the context.
 */
@Component
final class LogConnections implements AutoCloseable {

    static final String CLIENT_NAME = "live-log";

    private static final Logger log = LoggerFactory.getLogger(LogConnections.class);

    private final RedisConnector connector;
    private final BoundedAsyncPool<RedisConnection> pool;
    private final Set<RedisConnection> failed = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    @Autowired
    LogConnections(RedisConnector connector, DeploySettings deploy) {
        this(connector, deploy.workers());
    }

    /** @param size the most connections kept, idle or taken: the builds that run at once */
    LogConnections(RedisConnector connector, int size) {
        this.connector = connector;
        // None opened ahead: the first builds open them, so a replica starts while Redis is down. Only a release
        // asks whether a connection may be kept; a kept one that lost Redis meanwhile reconnects by itself.
        this.pool = new BoundedAsyncPool<>(
                new Factory(),
                BoundedPoolConfig.builder()
                        .maxTotal(size)
                        .maxIdle(size)
                        .minIdle(0)
                        .testOnCreate(false)
                        .testOnAcquire(false)
                        .testOnRelease(true)
                        .build());
    }

    /**
     * A connection no other build's log uses until it is {@linkplain #giveBack given back}: an idle one, else a new
     * one. Never waits for another build: when all are taken (more logs open at once than the replica has
     * workers) the build gets a connection of its own, closed when given back.
     *
     * @throws RuntimeException when Redis cannot be reached
     */
    RedisConnection take() {
        if (closed) {
            throw new IllegalStateException("the replica is shutting down");
        }
        try {
            // Done when acquire returns: the pool hands out an idle one or the factory connects on this thread.
            return pool.acquire().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof NoSuchElementException) {
                log.info("All {} live log connections are taken; this log gets one of its own", pool.getMaxTotal());
                return open();
            }
            throw connectFailure(e);
        }
    }

    /**
     * Back for the next build when {@code healthy}; closed when its log saw Redis fail, when it is not the pool's
     * or when the pool is closed.
     */
    void giveBack(RedisConnection connection, boolean healthy) {
        if (closed) {
            connection.close();
            return;
        }
        if (!healthy) {
            failed.add(connection);
        }
        pool.release(connection).whenComplete((released, notThePools) -> {
            if (notThePools != null) {
                failed.remove(connection);
                connection.close();
            }
        });
    }

    Duration commandTimeout() {
        return connector.settings().commandTimeout();
    }

    RedisKeys keys() {
        return connector.keys();
    }

    /** Closes the idle connections; those still taken are closed when given back. */
    @Override
    public void close() {
        closed = true;
        pool.close();
    }

    /** A new connection, named when it can be (see {@link RedisConnection#name}). */
    private RedisConnection open() {
        RedisConnection connection = connector.connect();
        connection.name(CLIENT_NAME);
        return connection;
    }

    /** The connect's own failure, not the pool's "Cannot allocate object" around it. */
    private static RuntimeException connectFailure(CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IllegalStateException && cause.getCause() instanceof RuntimeException connect) {
            return connect;
        }
        return cause instanceof RuntimeException runtime ? runtime : e;
    }

    /** Opens and closes the pool's connections; it keeps on release only those whose log saw no failure. */
    private final class Factory implements AsyncObjectFactory<RedisConnection> {

        @Override
        public CompletableFuture<RedisConnection> create() {
            try {
                return CompletableFuture.completedFuture(open());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public CompletableFuture<Void> destroy(RedisConnection connection) {
            failed.remove(connection);
            connection.close();
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Boolean> validate(RedisConnection connection) {
            return CompletableFuture.completedFuture(!failed.contains(connection));
        }
    }
}
