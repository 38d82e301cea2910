package dev.deploypipeline.deploy.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.project.PreviewAlias;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.storage.ObjectMetadata;
import dev.deploypipeline.storage.ObjectUpload;
import dev.deploypipeline.storage.StoredObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

/**
 * The dependency cache with a real pnpm app (through corepack, from the npm registry) built in the sandbox: the
 * second build of a lock file restores its project's store and pnpm reuses what it holds; another lock file falls
 * back to the project's newest entry; projects never read each other's; {@code "cache": false} reads and writes
 * nothing; an entry that cannot be read, and links a build plants in its store, harm no build.
 */
class DependencyCacheTest {

    private static final String LOCK_FILE = """
            lockfileVersion: '9.0'

            settings:
              autoInstallPeers: true
              excludeLinksFromLockfile: false

            importers:

              .:
                dependencies:
                  is-odd:
                    specifier: 3.0.1
                    version: 3.0.1

            packages:

              is-number@6.0.0:
                resolution: {integrity: sha512-Wu1VHeILBK8KAWJUAiSZQX94GmOE45Rg6/538fKwiloUu21KncEkYGPqob2oSZ5mUT73vLGrHQjKw3KMPwfDzg==}
                engines: {node: '>=0.10.0'}

              is-odd@3.0.1:
                resolution: {integrity: sha512-CQpnWPrDwmP1+SMHXZhtLtJv90yiyVfluGsX5iNCVkrhQtU3TQHsUWPG9wkdk9Lgd5yNpAg9jQEo90CBaXgWMA==}
                engines: {node: '>=4'}

            snapshots:

              is-number@6.0.0: {}

              is-odd@3.0.1:
                dependencies:
                  is-number: 6.0.0
            """;

    private static final Path VITE_APP = Path.of("../system-tests/src/test/resources/fixtures/vite-react");

    @RegisterExtension
    static final TestPipeline pipeline = new TestPipeline();

    private final RecordingListener listener = new RecordingListener();

    @TempDir
    Path workDir;

    private WorkerPool pool;

    @BeforeEach
    void replica() {
        pool = pipeline.startPool("replica-a", 1, workDir, listener);
    }

    @Test
    void secondBuildOfTheSameLockFileRestoresTheStoreAndPnpmReusesItsPackages() {
        DeploymentId first = deploy("shop", app(LOCK_FILE), BuildSettings.NONE);
        DeploymentId second = deploy("shop", app(LOCK_FILE), BuildSettings.NONE);

        assertThat(pipeline.storedLog(first))
                .anyMatch(line -> line.startsWith("[cache] no entry for this lock file or this project yet"))
                .anyMatch(line -> line.contains("reused 0, downloaded 2"))
                .anyMatch(line -> line.startsWith("[cache] saved the pnpm store and framework caches as "));
        assertThat(pipeline.storedLog(second))
                .contains("$ pnpm install --no-frozen-lockfile --prefer-offline")
                .anyMatch(line -> line.startsWith("[cache] restored the pnpm store and framework caches from ")
                        && line.contains("(this lock file's)"))
                .anyMatch(line -> line.contains("reused 2, downloaded 0"))
                .noneMatch(line -> line.contains("could not be"));
        assertThat(pipeline.text(ObjectKeys.site(second) + "index.html")).isEqualTo("true\n");
        assertThat(lookups("miss")).isEqualTo(1);
        assertThat(lookups("hit")).isEqualTo(1);
    }

    @Test
    void theDeploymentIsRecordedBeforeItsCacheIsSavedAndItsStoredLogIsThereFromThatMoment() {
        DeploymentId id = pipeline.uploaded(app(LOCK_FILE), BuildSettings.NONE, "shop");
        pipeline.enqueue(id);

        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> pipeline.state(id) == DeploymentState.DEPLOYED);
        assertThat(pipeline.storedLog(id)).contains("Published the site");
        await().atMost(Duration.ofMinutes(1)).until(() -> listener.ids().contains(id));
        String saved = pipeline.text(ObjectKeys.log(id))
                .lines()
                .filter(line -> line.contains(" [cache] saved the pnpm store and framework caches as "))
                .findFirst()
                .orElseThrow();
        Instant savedAt = Instant.parse(saved.substring(0, saved.indexOf(' ')));
        assertThat(pipeline.deployment(id).finishedAt()).isBefore(savedAt);
    }

    @Test
    void anotherLockFileMissesAndFallsBackToTheProjectsNewestEntry() {
        deploy("shop", app(LOCK_FILE), BuildSettings.NONE);
        String otherLockFile = "# updated by a colleague\n" + LOCK_FILE;

        DeploymentId changed = deploy("shop", app(otherLockFile), BuildSettings.NONE);

        assertThat(pipeline.storedLog(changed))
                .anyMatch(line -> line.startsWith("[cache] restored the pnpm store and framework caches from ")
                        && line.contains("(the project's newest, of another lock file)"))
                .anyMatch(line -> line.contains("reused 2, downloaded 0"))
                .anyMatch(line -> line.startsWith("[cache] saved "));
        assertThat(entries("shop")).hasSize(2);
        assertThat(lookups("miss")).isEqualTo(1);
        assertThat(lookups("fallback")).isEqualTo(1);
        assertThat(lookups("hit")).isZero();
    }

    @Test
    void projectANeverReadsProjectBsEntry() {
        deploy("b", app(LOCK_FILE), BuildSettings.NONE);
        List<ObjectMetadata> ofB = entries("b");

        DeploymentId ofA = deploy("a", app(LOCK_FILE), BuildSettings.NONE);

        assertThat(pipeline.storedLog(ofA))
                .anyMatch(line -> line.startsWith("[cache] no entry for this lock file or this project yet"))
                .anyMatch(line -> line.contains("reused 0, downloaded 2"))
                .noneMatch(line -> line.startsWith("[cache] restored"));
        assertThat(entries("b")).isEqualTo(ofB);
        assertThat(entries("a")).hasSize(1);
    }

    @Test
    void cacheFalseReadsAndWritesNothing() {
        deploy("shop", app(LOCK_FILE), BuildSettings.NONE);
        List<String> before = pipeline.keys("cache/");
        List<ObjectMetadata> entries = entries("shop");

        DeploymentId uncached =
                deploy("shop", app(LOCK_FILE), new BuildSettings(null, null, null, null, Map.of(), false));

        assertThat(pipeline.storedLog(uncached))
                .contains("[cache] off for this deployment (cache: false): nothing is restored or saved")
                .anyMatch(line -> line.contains("reused 0, downloaded 2"))
                .noneMatch(line -> line.startsWith("[cache] restored") || line.startsWith("[cache] saved"));
        assertThat(pipeline.keys("cache/")).isEqualTo(before);
        assertThat(entries("shop")).isEqualTo(entries);
    }

    @Test
    void aDeploymentGivenAnEnvOfItsOwnNeitherRestoresNorPoisonsItsProjectsEntries() throws IOException {
        projectWithEnv("shop", Map.of("SHOP_TOKEN", "secret"), null);
        deploy("shop", poisoningApp(), new BuildSettings(null, null, null, null, Map.of("SHOP_TOKEN", "secret")));
        List<String> before = pipeline.keys("cache/");
        List<ObjectMetadata> entries = entries("shop");

        DeploymentId overridden = deploy(
                "shop", poisoningApp(), new BuildSettings(null, null, null, null, Map.of("NODE_ENV", "production")));

        assertThat(pipeline.storedLog(overridden))
                .contains("[cache] off for this deployment: its env is not its project's own, so it neither reads"
                        + " nor writes the project's cache")
                .anyMatch(line -> line.contains("reused 0, downloaded 2"))
                .noneMatch(line -> line.startsWith("[cache] restored") || line.startsWith("[cache] saved"));
        assertThat(pipeline.keys("cache/")).isEqualTo(before);
        assertThat(entries("shop")).isEqualTo(entries);
        assertThat(namesIn(entries.get(0).key())).noneMatch(name -> name.endsWith("/poisoned"));
    }

    @Test
    void aPreviewFallsBackToTheProjectsEntryButWritesOnlyItsOwnScopeWhichTheSiteNeverRestores() {
        DeploymentId site = deploy("shop", app(LOCK_FILE), BuildSettings.NONE);
        List<ObjectMetadata> ofTheSite = entries("shop");
        String siteEntry =
                ofTheSite.get(0).key().substring(ofTheSite.get(0).key().lastIndexOf('/') + 1);

        DeploymentId preview = deployPreview("feature--shop", app("# the feature's\n" + LOCK_FILE));
        DeploymentId later = deploy("shop", app("# the site's next\n" + LOCK_FILE), BuildSettings.NONE);

        assertThat(pipeline.storedLog(site)).anyMatch(line -> line.startsWith("[cache] saved "));
        assertThat(pipeline.storedLog(preview))
                .anyMatch(line ->
                        line.startsWith("[cache] restored the pnpm store and framework caches from " + siteEntry)
                                && line.contains("(the project's newest, of another lock file)"))
                .anyMatch(line -> line.contains("reused 2, downloaded 0"))
                .anyMatch(line -> line.startsWith("[cache] saved "));
        assertThat(pipeline.keys("cache/projects/shop/previews/feature--shop/")).anyMatch(key -> key.endsWith(".tgz"));
        assertThat(pipeline.storedLog(later))
                .anyMatch(line ->
                        line.startsWith("[cache] restored the pnpm store and framework caches from " + siteEntry)
                                && line.contains("(the project's newest, of another lock file)"));
        assertThat(entries("shop"))
                .as("the site's own entries, of its two builds")
                .hasSize(2);
    }

    @Test
    void aRequestsCacheTrueCannotTurnOnTheCacheItsProjectTurnedOff() {
        projectWithEnv("shop", Map.of(), false);

        DeploymentId requested =
                deploy("shop", app(LOCK_FILE), new BuildSettings(null, null, null, null, Map.of(), true));

        assertThat(pipeline.storedLog(requested))
                .contains("[cache] off for this project (cache: false): nothing is restored or saved")
                .noneMatch(line -> line.startsWith("[cache] restored") || line.startsWith("[cache] saved"));
        assertThat(pipeline.keys("cache/")).isEmpty();
    }

    @Test
    void aTruncatedEntryIsIgnoredAndReplacedByTheNextGoodBuild() {
        deploy("shop", app(LOCK_FILE), BuildSettings.NONE);
        ObjectMetadata entry = entries("shop").get(0);
        byte[] half = Arrays.copyOf(bytes(entry.key()), (int) entry.length() / 2);
        pipeline.storage()
                .putAll(List.of(new ObjectUpload(
                        entry.key(), half.length, "application/gzip", () -> new ByteArrayInputStream(half))));

        DeploymentId afterIt = deploy("shop", app(LOCK_FILE), BuildSettings.NONE);

        assertThat(pipeline.state(afterIt)).isEqualTo(DeploymentState.DEPLOYED);
        assertThat(pipeline.storedLog(afterIt))
                .anyMatch(line -> line.startsWith("[cache] the entry ") && line.endsWith("building without it"))
                .anyMatch(line -> line.contains("reused 0, downloaded 2"))
                .anyMatch(line -> line.startsWith("[cache] saved "));
        assertThat(entries("shop").get(0).length()).isGreaterThan(half.length);
    }

    @Test
    void anEntryOfMoreFilesThanTheBoundIsNotRestoredAndAStoreGrownPastItIsNotSavedYetTheBuildSucceeds(
            @TempDir Path otherWorkDir) {
        deploy("shop", app(LOCK_FILE), BuildSettings.NONE);
        ObjectMetadata saved = entries("shop").get(0);
        pool.stop();
        pipeline.startPool(
                "replica-b",
                1,
                otherWorkDir,
                Duration.ofSeconds(10),
                listener,
                TestPipeline.Builds.DEFAULT.with("build.cache.max-files", "5"));

        DeploymentId bounded = deploy("shop", app(LOCK_FILE), BuildSettings.NONE);

        assertThat(pipeline.state(bounded)).isEqualTo(DeploymentState.DEPLOYED);
        assertThat(pipeline.storedLog(bounded))
                .anyMatch(line -> line.startsWith("[cache] the entry ")
                        && line.contains("more than 5 files and folders (BUILD_CACHE_MAX_FILES)")
                        && line.endsWith("building without it"))
                .anyMatch(line -> line.startsWith("[cache] not saved: ")
                        && line.endsWith("more than 5 files and folders (BUILD_CACHE_MAX_FILES)"));
        assertThat(entries("shop")).containsExactly(saved);
    }

    @Test
    void linksABuildPlantsInItsStoreAreNotSavedAndTheirTargetsNeverRead() throws IOException {
        BuildSettings planting = new BuildSettings(
                null,
                null,
                "mkdir -p \"$HOME/.cache/pnpm\" && ln -s /etc/shadow \"$HOME/.cache/pnpm/shadow\""
                        + " && ln -s /etc \"$HOME/.cache/pnpm/etc\""
                        + " && ln -s /etc/passwd \"$HOME/.local/share/pnpm/store/passwd\""
                        + " && mkdir -p dist && echo planted > dist/index.html",
                null,
                Map.of());

        deploy("shop", app(LOCK_FILE), planting);
        DeploymentId next = deploy("shop", app(LOCK_FILE), BuildSettings.NONE);

        List<String> names = namesIn(entries("shop").get(0).key());
        assertThat(names)
                .anyMatch(name -> name.startsWith("home/.local/share/pnpm/store/"))
                .noneMatch(name -> name.endsWith("/shadow") || name.contains("/etc") || name.endsWith("/passwd"));
        assertThat(pipeline.state(next)).isEqualTo(DeploymentState.DEPLOYED);
    }

    @Test
    void aViteAppOfNoProjectRestoresNpmsCacheOfItsRepositoryInstallsPreferringItAndSavesNothingItOnlyRead(
            @TempDir Path copy) throws IOException {
        FileSystemUtils.copyRecursively(VITE_APP, copy);
        BuildSettings inWeb = new BuildSettings("web", null, null, null, Map.of());

        DeploymentId first = deployFolder(copy, inWeb);
        DeploymentId second = deployFolder(copy, inWeb);

        assertThat(pipeline.storedLog(first))
                .contains("$ npm ci --no-audit --no-fund")
                .anyMatch(line -> line.startsWith("[cache] saved the npm store and framework caches as "));
        assertThat(pipeline.storedLog(second))
                .contains("$ npm ci --prefer-offline --no-audit --no-fund")
                .anyMatch(line -> line.startsWith("[cache] restored the npm store and framework caches from ")
                        && line.contains("(this lock file's)"))
                // npm rewrote its index entries, but nothing new came into its store
                .anyMatch(line -> line.startsWith("[cache] the npm store and framework caches are unchanged since ")
                        && line.endsWith("was restored: not saved"));
        assertThat(pipeline.keys("cache/repositories/")).anyMatch(key -> key.endsWith(".tgz"));
        assertThat(pipeline.keys("cache/projects/")).isEmpty();
    }

    @Test
    void aDeploymentOfNoProjectWithOtherEnvHasARepositoryScopeOfItsOwnSoItCannotPoisonTheEntryOthersRestore() {
        Map<String, String> repository = Map.of("package.json", """
                {"name": "public-site", "version": "1.0.0", "private": true, "scripts": {"build": "node build.js"}}
                """, "build.js", """
                const fs = require('fs'), path = require('path');
                const store = path.join(process.env.HOME, '.npm/_cacache/content-v2');
                fs.mkdirSync(store, {recursive: true});
                fs.writeFileSync(path.join(store, process.env.NODE_OPTIONS ? 'poisoned' : 'clean'), 'x');
                fs.mkdirSync('dist', {recursive: true});
                fs.writeFileSync('dist/index.html', 'ok');
                """);

        DeploymentId stranger = deploy(
                null, repository, new BuildSettings(null, "", null, null, Map.of("NODE_OPTIONS", "--no-warnings")));
        DeploymentId owner = deploy(null, repository, new BuildSettings(null, "", null, null, Map.of()));

        assertThat(pipeline.storedLog(stranger))
                .anyMatch(line -> line.startsWith("[cache] saved the npm store and framework caches as "));
        assertThat(pipeline.storedLog(owner))
                .anyMatch(line -> line.startsWith("[cache] no entry for this lock file or this repository yet"))
                .noneMatch(line -> line.startsWith("[cache] restored"));
        assertThat(pipeline.keys("cache/repositories/").stream()
                        .filter(key -> key.endsWith(".tgz"))
                        .map(key -> key.substring(0, key.lastIndexOf('/') + 1))
                        .distinct())
                .as("one scope for each env, of the same repository and commands")
                .hasSize(2);
    }

    private DeploymentId deployFolder(Path folder, BuildSettings settings) {
        DeploymentId id = pipeline.uploadedFolder(folder, "web", settings);
        pipeline.enqueue(id);
        await().atMost(Duration.ofMinutes(4)).until(() -> listener.ids().contains(id));
        assertThat(pipeline.deployment(id).error()).isNull();
        return id;
    }

    private DeploymentId deploy(String project, Map<String, String> files, BuildSettings settings) {
        DeploymentId id = pipeline.uploaded(files, settings, project);
        pipeline.enqueue(id);
        await().atMost(Duration.ofMinutes(3)).until(() -> listener.ids().contains(id));
        assertThat(pipeline.deployment(id).error()).isNull();
        return id;
    }

    private DeploymentId deployPreview(String label, Map<String, String> files) {
        pipeline.previews().claim(new PreviewAlias(new ProjectName("shop"), "feature", label));
        DeploymentId id = pipeline.uploaded(files, BuildSettings.NONE, "shop", "feature", label, null);
        pipeline.enqueue(id);
        await().atMost(Duration.ofMinutes(3)).until(() -> listener.ids().contains(id));
        assertThat(pipeline.deployment(id).error()).isNull();
        return id;
    }

    private static void projectWithEnv(String name, Map<String, String> env, Boolean cache) {
        pipeline.projects()
                .save(new Project(
                        new ProjectName(name),
                        "https://git.example.com/site.git",
                        "main",
                        new BuildSettings(null, null, null, null, env, cache),
                        false,
                        Instant.now()));
    }

    /**
     * The pnpm app, whose build (code of its repository) plants a file in the restored store whenever it runs
     * without its project's {@code SHOP_TOKEN}.
     */
    private static Map<String, String> poisoningApp() {
        return Map.of("package.json", """
                {"name": "cached-site", "version": "1.0.0", "private": true, "packageManager": "pnpm@9.15.9",
                 "dependencies": {"is-odd": "3.0.1"}, "scripts": {"build": "node build.js"}}
                """, "pnpm-lock.yaml", LOCK_FILE, "build.js", """
                const fs = require('fs'), path = require('path');
                if (!process.env.SHOP_TOKEN) {
                  fs.writeFileSync(path.join(process.env.HOME, '.local/share/pnpm/store/poisoned'), 'x');
                }
                fs.mkdirSync('dist', {recursive: true});
                fs.writeFileSync('dist/index.html', String(require('is-odd')(3)));
                """);
    }

    private static double lookups(String result) {
        return pipeline.meters().counter("deploy.build.cache", "result", result).count();
    }

    /** A pnpm app with one dependency from the registry (and its own), built with that lock file. */
    private static Map<String, String> app(String lockFile) {
        return Map.of("package.json", """
                        {"name": "cached-site", "version": "1.0.0", "private": true, "packageManager": "pnpm@9.15.9",
                         "dependencies": {"is-odd": "3.0.1"},
                         "scripts": {"build": "mkdir -p dist && node -e \\"console.log(require('is-odd')(3))\\"\
                         > dist/index.html"}}
                        """, "pnpm-lock.yaml", lockFile);
    }

    /** The cache entries of the project's site (not the pointer to its newest, nor its previews'). */
    private static List<ObjectMetadata> entries(String project) {
        String scope = "cache/projects/" + project + "/";
        return pipeline.keys(scope).stream()
                .filter(key -> key.endsWith(".tgz") && key.indexOf('/', scope.length()) < 0)
                .map(key -> pipeline.storage().head(key).orElseThrow())
                .toList();
    }

    private static byte[] bytes(String key) {
        try (StoredObject object = pipeline.storage().open(key).orElseThrow()) {
            return object.body().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> namesIn(String key) throws IOException {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(bytes(key))))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                names.add(entry.getName());
            }
        }
        return names;
    }
}
