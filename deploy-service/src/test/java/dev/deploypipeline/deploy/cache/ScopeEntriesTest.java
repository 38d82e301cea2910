package dev.deploypipeline.deploy.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.storage.ObjectMetadata;
import dev.deploypipeline.storage.ObjectStorage;
import dev.deploypipeline.storage.ObjectUpload;
import dev.deploypipeline.storage.StoredObjectInfo;
import dev.deploypipeline.testing.MovableClock;
import dev.deploypipeline.testing.PipelineServers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scope's entries in a real S3-protocol server and Redis: each save keeps the {@code BUILD_CACHE_KEEP} entries of
 * its scope used last (saved or restored, of whatever Node or package manager), removes the others, and touches no
 * other scope.
 */
class ScopeEntriesTest {

    private static final String ENV = "0123456789abcdef";
    private static final String OTHER_ENV = "fedcba9876543210";

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    @TempDir
    Path folder;

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T12:00:00Z"));
    private CacheUses uses;
    private LocalCopies copies;

    @BeforeEach
    void copies() throws IOException {
        uses = new CacheUses(servers.connector(), clock);
        copies = new LocalCopies(folder.resolve("copies"), 1024 * 1024, clock);
        copies.prepare();
    }

    @Test
    void aSaveKeepsTheScopesMostRecentlyUsedEntriesAndRemovesTheRest() throws IOException {
        CacheScope project = CacheScope.ofProject("shop");
        List<ScopeEntries> saved = new ArrayList<>();
        List<Integer> removed = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ScopeEntries entries = entries(project, i % 2 == 0 ? ENV : OTHER_ENV, i);
            removed.add(entries.store(entry("lock " + i), 3));
            saved.add(entries);
        }
        clock.advance(Duration.ofMinutes(1));
        ObjectMetadata oldest = saved.get(1).own().orElseThrow();
        saved.get(1).restored(oldest);

        removed.add(entries(project, ENV, 4).store(entry("lock 4"), 3));

        assertThat(removed).containsExactly(0, 0, 0, 1, 1);
        assertThat(names(project))
                .containsExactlyInAnyOrder(
                        saved.get(1).ownName(),
                        saved.get(3).ownName(),
                        entries(project, ENV, 4).ownName());
        assertThat(storage().list(project.prefix()))
                .extracting(StoredObjectInfo::key)
                .contains(project.prefix() + ENV + "-newest", project.prefix() + OTHER_ENV + "-newest");
        assertThat(servers.redis().zrange("cache-used:" + project.prefix(), 0, -1))
                .containsExactlyInAnyOrderElementsOf(names(project));
    }

    @Test
    void aScopesSavesNeverRemoveAnotherScopesEntries() throws IOException {
        CacheScope mine = CacheScope.ofProject("mine");
        CacheScope theirs = CacheScope.ofProject("mine-too");
        ScopeEntries kept = entries(theirs, ENV, 99);
        kept.store(entry("theirs"), 1);

        for (int i = 0; i < 3; i++) {
            entries(mine, ENV, i).store(entry("mine " + i), 1);
        }

        assertThat(names(mine)).containsExactly(entries(mine, ENV, 2).ownName());
        assertThat(names(theirs)).containsExactly(kept.ownName());
    }

    @Test
    void aProjectsPreviewsShareOneKeepAndNeitherTheSitesSavesNorTheirsRemoveTheOthersEntries() throws IOException {
        CacheScope site = CacheScope.ofProject("shop");
        ScopeEntries ofTheSite = entries(site, ENV, 0);
        ofTheSite.store(entry("the site's"), 1);
        List<ScopeEntries> branches = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            ScopeEntries ofABranch = entries(CacheScope.ofPreview("shop", "branch-" + i + "--shop"), ENV, i);
            ofABranch.store(entry("branch " + i), 2);
            branches.add(ofABranch);
        }

        entries(site, ENV, 4).store(entry("the site's next"), 1);

        assertThat(storage().list(site.prefix() + "previews/"))
                .extracting(StoredObjectInfo::key)
                .filteredOn(key -> key.endsWith(".tgz"))
                .containsExactlyInAnyOrder(
                        "cache/projects/shop/previews/branch-2--shop/"
                                + branches.get(1).ownName(),
                        "cache/projects/shop/previews/branch-3--shop/"
                                + branches.get(2).ownName());
        assertThat(storage().list(site.prefix()))
                .extracting(StoredObjectInfo::key)
                .filteredOn(key -> key.endsWith(".tgz") && !key.contains("/previews/"))
                .containsExactly(site.prefix() + entries(site, ENV, 4).ownName());
        assertThat(servers.redis().zrange("cache-used:cache/projects/shop/previews/", 0, -1))
                .containsExactlyInAnyOrder(
                        "branch-2--shop/" + branches.get(1).ownName(),
                        "branch-3--shop/" + branches.get(2).ownName());
    }

    @Test
    void anEntryRedisKnowsNothingOfCountsAsUsedWhenTheBucketStoredIt() throws IOException {
        CacheScope project = CacheScope.ofProject("upgraded");
        ScopeEntries before = entries(project, ENV, 1);
        before.store(entry("saved before uses were kept"), 5);
        servers.redis().del("cache-used:" + project.prefix());
        clock.set(Instant.now().minus(Duration.ofDays(1)));
        entries(project, ENV, 2).store(entry("used yesterday"), 5);
        clock.set(Instant.now().plus(Duration.ofDays(1)));

        int removed = entries(project, ENV, 3).store(entry("today"), 2);

        assertThat(removed).isEqualTo(1);
        assertThat(names(project))
                .containsExactlyInAnyOrder(
                        before.ownName(), entries(project, ENV, 3).ownName());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCopyIsNamedForTheVersionItsOwnSaveStoredThoughAnotherReplicaSavedTheSameKeyRightAfter() throws IOException {
        byte[] theirs = "replica b's entry".getBytes(StandardCharsets.UTF_8);
        ObjectStorage racing = (ObjectStorage) Proxy.newProxyInstance(
                ObjectStorage.class.getClassLoader(), new Class<?>[] {ObjectStorage.class}, (proxy, method, args) -> {
                    Object result = method.invoke(storage(), args);
                    List<ObjectUpload> stored = switch (method.getName()) {
                        case "put" -> List.of((ObjectUpload) args[0]);
                        case "putAll" -> List.copyOf((Collection<ObjectUpload>) args[0]);
                        default -> List.of();
                    };
                    // Replica B saves the same entry at once, before this replica keeps its copy.
                    stored.stream()
                            .filter(upload -> upload.key().endsWith(".tgz"))
                            .forEach(ours -> storage()
                                    .putAll(List.of(new ObjectUpload(
                                            ours.key(),
                                            theirs.length,
                                            "application/gzip",
                                            () -> new ByteArrayInputStream(theirs)))));
                    return result;
                });
        CacheScope project = CacheScope.ofProject("raced");
        ScopeEntries entries =
                new ScopeEntries(project, ENV, CacheScope.sha256("lock file 1", 64), racing, copies, uses);

        Path part = entries.part(); // in the replica's folder of copies, as a build's save packs it
        Files.writeString(part, "replica a's entry");

        entries.store(part, 5);

        ObjectMetadata stored = entries.own().orElseThrow();
        assertThat(Files.readString(entries.localCopy(stored)))
                .as("the copy this replica restores for the version the bucket holds")
                .isEqualTo("replica b's entry");
    }

    private ScopeEntries entries(CacheScope scope, String env, int lockFile) {
        clock.advance(Duration.ofSeconds(1));
        return new ScopeEntries(scope, env, CacheScope.sha256("lock file " + lockFile, 64), storage(), copies, uses);
    }

    private List<String> names(CacheScope scope) {
        return storage().list(scope.prefix()).stream()
                .map(StoredObjectInfo::key)
                .filter(key -> key.endsWith(".tgz"))
                .map(ScopeEntries::name)
                .toList();
    }

    private Path entry(String content) throws IOException {
        Path part = Files.createTempFile(folder, "entry", ".tgz");
        Files.writeString(part, content);
        return part;
    }

    private static dev.deploypipeline.storage.S3ObjectStorage storage() {
        return servers.storage();
    }
}
