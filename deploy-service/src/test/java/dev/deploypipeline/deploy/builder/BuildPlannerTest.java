package dev.deploypipeline.deploy.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploypipeline.deploy.cache.CacheContents;
import dev.deploypipeline.deployment.BuildSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which commands a build runs and where its site is, from its settings, then from what its files hold. */
class BuildPlannerTest {

    private static final String BUILDS_WITH_VITE = """
            {"name": "x", "scripts": {"build": "vite build"}, "devDependencies": {"vite": "^7.0.0"}}
            """;

    private final BuildPlanner planner = new BuildPlanner();

    @TempDir
    Path source;

    @TempDir
    Path home;

    @Test
    void repositoryWithoutPackageJsonIsAStaticSite() throws IOException {
        Files.writeString(source.resolve("index.html"), "<p>hi</p>");

        BuildPlan plan = plan(BuildSettings.NONE);

        assertThat(plan.commands()).isEmpty();
        assertThat(plan.output(source.getParent())).isEqualTo(source);
    }

    @Test
    void packageJsonWithoutABuildScriptIsAStaticSite() throws IOException {
        Files.writeString(source.resolve("package.json"), """
                {"name": "x", "scripts": {"test": "echo test"}}
                """);

        assertThat(plan(BuildSettings.NONE).commands()).isEmpty();
    }

    @Test
    void buildScriptWithoutALockFileMeansNpmInstallThenNpmRunBuild() throws IOException {
        Files.writeString(source.resolve("package.json"), """
                {"name": "x", "scripts": {"build": "node build.js"}}
                """);

        BuildPlan plan = plan(BuildSettings.NONE);

        assertThat(plan.commands())
                .extracting(BuildCommand::toString)
                .containsExactly("npm install --no-audit --no-fund", "npm run build");
        assertThat(plan.commands()).extracting(BuildCommand::step).containsExactly("install", "build");
        assertThat(plan.outputFolders()).containsExactly("dist", "build", "out");
        assertThat(plan.toolFolders()).isEmpty();
    }

    @Test
    void npmLockFileMeansNpmCiFallingBackToNpmInstallWhenTheLockIsOutOfStep() throws IOException {
        Files.writeString(source.resolve("package.json"), BUILDS_WITH_VITE);
        Files.writeString(source.resolve("package-lock.json"), "{}");

        BuildCommand install = plan(BuildSettings.NONE).commands().get(0);

        assertThat(install).hasToString("npm ci --no-audit --no-fund");
        assertThat(install.fallback().whenOutputContains()).isEqualTo(PackageManager.NPM_LOCK_OUT_OF_STEP);
        assertThat(install.fallback().command()).hasToString("npm install --no-audit --no-fund");
    }

    @Test
    void preferringOfflineChangesOnlyThePackageManagersOwnInstall() throws IOException {
        Files.writeString(source.resolve("package.json"), BUILDS_WITH_VITE);
        Files.writeString(source.resolve("package-lock.json"), "{}");

        BuildCommand install =
                plan(BuildSettings.NONE).preferringOffline().commands().get(0);
        BuildPlan ownCommands = plan(new BuildSettings(null, "npm ci", "npm run build", null, Map.of()));

        assertThat(install).hasToString("npm ci --prefer-offline --no-audit --no-fund");
        assertThat(install.fallback().command()).hasToString("npm install --prefer-offline --no-audit --no-fund");
        assertThat(ownCommands.preferringOffline().commands())
                .extracting(BuildCommand::toString)
                .containsExactly("npm ci", "npm run build");
    }

    @Test
    void yarnTwoAndLaterGetNoPreferOfflineTheyDoNotKnow() throws IOException {
        Files.writeString(source.resolve("package.json"), """
                {"name": "x", "packageManager": "yarn@4.5.0+sha512.abc", "scripts": {"build": "vite build"}}
                """);
        Files.writeString(source.resolve("yarn.lock"), "");

        assertThat(plan(BuildSettings.NONE).preferringOffline().commands())
                .extracting(BuildCommand::toString)
                .contains("yarn install")
                .doesNotContain("yarn install --prefer-offline");
    }

    @Test
    void theCacheKeepsTheManagersStoreAndFrameworkCachesKeyedByTheVersionItNamesAndTheLockFile() throws IOException {
        Files.writeString(source.resolve("package.json"), """
                {"name": "x", "packageManager": "pnpm@9.15.9+sha512.abc", "scripts": {"build": "vite build"}}
                """);
        Files.writeString(source.resolve("pnpm-lock.yaml"), "lockfileVersion: '9.0'\n");

        CacheContents contents =
                plan(BuildSettings.NONE).cacheContents(home.getParent(), home).orElseThrow();

        assertThat(contents.manager()).isEqualTo("pnpm@9.15.9");
        assertThat(contents.lockFileHash()).hasSize(64);
        assertThat(contents.homeFolders())
                .contains(".local/share/pnpm/store")
                .noneMatch(f -> f.contains("node_modules"));
        assertThat(contents.appFolders()).containsExactly("node_modules/.vite", ".next/cache", ".astro");
        Files.writeString(source.resolve("pnpm-lock.yaml"), "lockfileVersion: '9.0'\n# changed\n");
        assertThat(plan(BuildSettings.NONE)
                        .cacheContents(home.getParent(), home)
                        .orElseThrow()
                        .lockFileHash())
                .isNotEqualTo(contents.lockFileHash());
        Files.writeString(source.resolve("package.json"), "{\"name\": \"x\"}");
        assertThat(plan(BuildSettings.NONE).cacheContents(home.getParent(), home))
                .isEmpty();
    }

    @Test
    void yarnLockMeansYarnThroughCorepackOnTheBuildsOwnPath() throws IOException {
        Files.writeString(source.resolve("package.json"), BUILDS_WITH_VITE);
        Files.writeString(source.resolve("yarn.lock"), "");

        BuildPlan plan = plan(BuildSettings.NONE);

        assertThat(plan.commands())
                .extracting(BuildCommand::toString)
                .containsExactly(
                        "corepack enable --install-directory \"$HOME/.build-tools\" yarn",
                        "yarn install",
                        "yarn run build");
        assertThat(plan.toolFolders()).containsExactly(home.resolve(".build-tools"));
        assertThat(plan.environment())
                .containsEntry("COREPACK_ENABLE_DOWNLOAD_PROMPT", "0")
                .containsEntry("YARN_ENABLE_IMMUTABLE_INSTALLS", "false");
    }

    @Test
    void pnpmLockMeansPnpmThroughCorepackThatMayUpdateAStaleLock() throws IOException {
        Files.writeString(source.resolve("package.json"), BUILDS_WITH_VITE);
        Files.writeString(source.resolve("pnpm-lock.yaml"), "");
        Files.writeString(source.resolve("package-lock.json"), "{}");

        assertThat(plan(BuildSettings.NONE).commands())
                .extracting(BuildCommand::toString)
                .containsExactly(
                        "corepack enable --install-directory \"$HOME/.build-tools\" pnpm",
                        "pnpm install --no-frozen-lockfile",
                        "pnpm run build");
    }

    @Test
    void packageManagerFieldWinsOverLockFiles() throws IOException {
        Files.writeString(source.resolve("package.json"), """
                {"name": "x", "packageManager": "yarn@4.5.0", "scripts": {"build": "vite build"}}
                """);
        Files.writeString(source.resolve("package-lock.json"), "{}");

        assertThat(plan(BuildSettings.NONE).commands().get(1)).hasToString("yarn install");
    }

    @Test
    void outputFolderComesFromTheFramework() throws IOException {
        assertThat(outputFoldersWith("vite")).containsExactly("dist", "build", "out");
        assertThat(outputFoldersWith("react-scripts")).containsExactly("build", "dist", "out");
        assertThat(outputFoldersWith("next")).containsExactly("out", "dist", "build");
    }

    @Test
    void outputIsTheFirstOfDistBuildAndOutThatExistsWhenNoFrameworkIsKnown() throws IOException {
        Files.writeString(source.resolve("package.json"), """
                {"name": "x", "scripts": {"build": "node build.js"}}
                """);
        Files.createDirectories(source.resolve("out"));
        Files.createDirectories(source.resolve("build"));

        assertThat(plan(BuildSettings.NONE).output(source.getParent())).isEqualTo(source.resolve("build"));
    }

    @Test
    void nextJsWithoutAnExportSaysHowToMakeOne() throws IOException {
        Files.writeString(source.resolve("package.json"), """
                {"name": "x", "scripts": {"build": "next build"}, "dependencies": {"next": "15.0.0"}}
                """);

        assertThatThrownBy(() -> plan(BuildSettings.NONE).output(source.getParent()))
                .isInstanceOf(BuildFailedException.class)
                .hasMessage("the build made no output folder: expected one of out, dist, build; Next.js writes a"
                        + " static site to out only with output: 'export' in next.config");
    }

    @Test
    void rootDirectoryIsWhereTheAppIsAndItsOutputIsFoundThere() throws IOException {
        Files.createDirectories(source.resolve("apps/web/dist"));
        Files.writeString(source.resolve("apps/web/package.json"), BUILDS_WITH_VITE);

        BuildPlan plan = plan(settings("./apps/web/", null, null, null, Map.of()));

        assertThat(plan.root()).isEqualTo(source.resolve("apps/web"));
        assertThat(plan.commands()).extracting(BuildCommand::toString).contains("npm run build");
        assertThat(plan.output(source.getParent())).isEqualTo(source.resolve("apps/web/dist"));
    }

    @Test
    void rootDirectoryThatIsNotThereFailsClearly() {
        assertThatThrownBy(() -> plan(settings("web", null, null, null, Map.of())))
                .isInstanceOf(BuildFailedException.class)
                .hasMessage("rootDirectory 'web' is not a folder in the repository");
    }

    @Test
    void rootDirectoryOutsideTheRepositoryIsRefused(@TempDir Path elsewhere) throws IOException {
        Files.createSymbolicLink(source.resolve("linked"), elsewhere);

        assertThatThrownBy(() -> plan(settings("../etc", null, null, null, Map.of())))
                .hasMessage("rootDirectory '../etc' is not a folder inside the repository");
        assertThatThrownBy(() -> plan(settings("/etc", null, null, null, Map.of())))
                .hasMessage("rootDirectory '/etc' is not a folder inside the repository");
        assertThatThrownBy(() -> plan(settings("linked", null, null, null, Map.of())))
                .hasMessage("rootDirectory 'linked' is not a folder in the repository");
    }

    @Test
    void usersCommandsRunThroughTheShellInsteadOfTheDetectedOnes() throws IOException {
        Files.writeString(source.resolve("package.json"), BUILDS_WITH_VITE);

        BuildPlan plan = plan(settings(
                null,
                "npm install --legacy-peer-deps",
                "npm run build:prod && echo done",
                "public",
                Map.of("API_URL", "https://api.example.com")));

        assertThat(plan.commands())
                .extracting(BuildCommand::arguments)
                .containsExactly(
                        List.of("sh", "-c", "npm install --legacy-peer-deps"),
                        List.of("sh", "-c", "npm run build:prod && echo done"));
        assertThat(plan.commands())
                .extracting(BuildCommand::toString)
                .containsExactly("npm install --legacy-peer-deps", "npm run build:prod && echo done");
        assertThat(plan.outputFolders()).containsExactly("public");
        assertThat(plan.environment()).containsEntry("API_URL", "https://api.example.com");
    }

    @Test
    void blankInstallCommandSkipsTheInstall() throws IOException {
        Files.writeString(source.resolve("package.json"), BUILDS_WITH_VITE);

        assertThat(plan(settings(null, "", null, null, Map.of())).commands())
                .extracting(BuildCommand::toString)
                .containsExactly("npm run build");
    }

    @Test
    void buildCommandBuildsARepositoryWithoutPackageJson() throws IOException {
        Files.writeString(source.resolve("build.sh"), "mkdir -p site");

        BuildPlan plan = plan(settings(null, null, "sh build.sh", "site", Map.of()));

        assertThat(plan.commands()).extracting(BuildCommand::toString).containsExactly("sh build.sh");
        assertThat(plan.outputFolders()).containsExactly("site");
    }

    @Test
    void staticSiteMayBePublishedFromAFolderOfIt() throws IOException {
        Files.createDirectories(source.resolve("public"));

        BuildPlan plan = plan(settings(null, null, null, "public/", Map.of()));

        assertThat(plan.commands()).isEmpty();
        assertThat(plan.output(source.getParent())).isEqualTo(source.resolve("public"));
    }

    @Test
    void outputDirectoryOutsideTheAppIsRefused() {
        assertThatThrownBy(() -> plan(settings(null, null, "true", "../../etc", Map.of())))
                .isInstanceOf(BuildFailedException.class)
                .hasMessage("outputDirectory '../../etc' is not a folder inside the app");
    }

    @Test
    void variableThatCannotBeOneFailsTheBuild() {
        assertThatThrownBy(() -> plan(settings(null, null, "true", null, Map.of("NOT-A-NAME", "x"))))
                .isInstanceOf(BuildFailedException.class)
                .hasMessage("env: 'NOT-A-NAME' is not a valid variable name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PATH", "LD_PRELOAD", "GCONV_PATH", "HOME"})
    void variableThatChangesHowProgramsLoadFailsTheBuildEvenIfTheApiLetItThrough(String name) {
        assertThatThrownBy(() -> plan(settings(null, null, "true", null, Map.of(name, "bin:/usr/bin:/bin"))))
                .isInstanceOf(BuildFailedException.class)
                .hasMessageStartingWith("env " + name + " ");
    }

    @Test
    void packageJsonOverTheManifestBoundFailsNamingItsSizeAndNestingBeyondAnyManifestIsRefusedByTheParser()
            throws IOException {
        Files.writeString(source.resolve("package.json"), "{\"description\": \"" + "x".repeat(1024 * 1024) + "\"}");

        assertThatThrownBy(() -> plan(BuildSettings.NONE))
                .isInstanceOf(BuildFailedException.class)
                .hasMessage("package.json is too large: it holds 1.0 MB, more than the 1MB a manifest may hold");

        Files.writeString(source.resolve("package.json"), "[".repeat(1000) + "]".repeat(1000));

        assertThatThrownBy(() -> plan(BuildSettings.NONE))
                .isInstanceOf(BuildFailedException.class)
                .hasMessageStartingWith("package.json is not valid JSON: Document nesting depth (65) exceeds");
    }

    @Test
    void invalidPackageJsonFailsTheBuildWithAClearReason() throws IOException {
        Files.writeString(source.resolve("package.json"), "{\"scripts\": ");

        assertThatThrownBy(() -> plan(BuildSettings.NONE))
                .isInstanceOf(BuildFailedException.class)
                .hasMessageStartingWith("package.json is not valid JSON");
    }

    @Test
    void symlinkedOutputFolderIsNotTakenForTheSite(@TempDir Path elsewhere) throws IOException {
        Files.writeString(source.resolve("package.json"), BUILDS_WITH_VITE);
        Files.createSymbolicLink(source.resolve("dist"), elsewhere);
        Files.createDirectories(elsewhere.resolve("assets"));
        Files.createSymbolicLink(source.resolve("build"), elsewhere);

        BuildPlan plan = plan(BuildSettings.NONE);

        assertThatThrownBy(() -> plan.output(source.getParent()))
                .isInstanceOf(BuildFailedException.class)
                .hasMessage("the build made no output folder: expected one of dist, build, out");
        assertThatThrownBy(() -> plan(settings(null, null, null, "build/assets", Map.of()))
                        .output(source.getParent()))
                .hasMessage("the build made no output folder: expected build/assets");
    }

    private List<String> outputFoldersWith(String dependency) throws IOException {
        Files.writeString(source.resolve("package.json"), """
                {"name": "x", "scripts": {"build": "x"}, "dependencies": {"%s": "1.0.0"}}
                """.formatted(dependency));
        return plan(BuildSettings.NONE).outputFolders();
    }

    private BuildPlan plan(BuildSettings settings) {
        return planner.plan(source, home, settings);
    }

    private static BuildSettings settings(
            String rootDirectory,
            String installCommand,
            String buildCommand,
            String outputDirectory,
            Map<String, String> env) {
        return new BuildSettings(rootDirectory, installCommand, buildCommand, outputDirectory, env);
    }
}
