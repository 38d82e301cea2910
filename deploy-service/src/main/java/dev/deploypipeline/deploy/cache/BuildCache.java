package dev.deploypipeline.deploy.cache;

import dev.deploypipeline.deploy.DeploySettings;
import dev.deploypipeline.deploy.log.BuildLog;
import dev.deploypipeline.deploy.sandbox.BuildSandbox;
import dev.deploypipeline.redis.RedisConnector;
import dev.deploypipeline.storage.ObjectStorage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The dependency cache of this replica's builds. Entries live in the bucket under {@code cache/…}, one scope per
 * project's site, one per preview of it, one per repository without a project, so any replica restores any entry; this replica keeps copies of those it
 * used in {@code {DEPLOY_WORK_DIR}/cache}, up to {@code BUILD_CACHE_LOCAL_MAX}; a scope keeps its {@code
 * BUILD_CACHE_KEEP} most recently used entries in the bucket ({@link CacheUses}). Each lookup counts on {@code
 * deploy.build.cache}, tagged {@code result=hit|fallback|miss}.
 */
@Component
public class BuildCache {

    private final ObjectStorage storage;
    private final CacheSettings settings;
    private final LocalCopies copies;
    private final Toolchain toolchain;
    private final CacheUses uses;
    private final MeterRegistry meters;
    private final Clock clock;

    public BuildCache(
            ObjectStorage storage,
            CacheSettings settings,
            DeploySettings deploy,
            BuildSandbox sandbox,
            RedisConnector redis,
            ObjectProvider<MeterRegistry> meters,
            Clock clock) {
        this.storage = storage;
        this.settings = settings;
        this.copies = new LocalCopies(
                deploy.workDir().toAbsolutePath().resolve("cache"),
                settings.localMax().toBytes(),
                clock);
        this.toolchain = new Toolchain(sandbox.path());
        this.uses = new CacheUses(redis, clock);
        this.meters = meters.getIfAvailable(SimpleMeterRegistry::new);
        for (String result : List.of("hit", "fallback", "miss")) {
            counter(result); // each from zero, so a rate is there before the first lookup of its kind
        }
        this.clock = clock;
        try {
            copies.prepare();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the cache's folder in DEPLOY_WORK_DIR", e);
        }
    }

    /** The cache of one build in {@code scope}. */
    public CachedBuild open(CacheScope scope, BuildLog buildLog) {
        return new StoredCachedBuild(scope, buildLog, this);
    }

    ObjectStorage storage() {
        return storage;
    }

    CacheSettings settings() {
        return settings;
    }

    LocalCopies copies() {
        return copies;
    }

    Toolchain toolchain() {
        return toolchain;
    }

    CacheUses uses() {
        return uses;
    }

    Clock clock() {
        return clock;
    }

    void count(String result) {
        counter(result).increment();
    }

    private Counter counter(String result) {
        return Counter.builder("deploy.build.cache")
                .description("Dependency cache lookups: the build's own entry (hit), its scope's newest (fallback),"
                        + " or none that could be restored (miss)")
                .tag("result", result)
                .register(meters);
    }
}
