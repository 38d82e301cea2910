package dev.deploypipeline.deploy.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deploy.builder.TestProcesses;
import dev.deploypipeline.deploy.worker.TestPipeline.Builds;
import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.project.Project;
import dev.deploypipeline.project.ProjectName;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.testing.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;

/** One deployment at a time, from queued sources to a published site or a failure with its reason. */
class DeployerTest {

    @RegisterExtension
    static final TestPipeline pipeline = new TestPipeline();

    private final RecordingListener listener = new RecordingListener();

    @TempDir
    Path workDir;

    @Test
    void staticSiteIsPublishedAsItIsWithContentTypes() {
        DeploymentId id = pipeline.uploaded(Map.of(
                "index.html", "<h1>Hello</h1>\n",
                "css/site.css", "h1 { color: tomato }\n",
                "images/logo.png", "not really a png"));

        deploy(id);

        assertThat(pipeline.state(id)).isEqualTo(DeploymentState.DEPLOYED);
        String site = ObjectKeys.site(id);
        assertThat(pipeline.keys(site))
                .containsExactlyInAnyOrder(site + "index.html", site + "css/site.css", site + "images/logo.png");
        assertThat(pipeline.text(site + "index.html")).isEqualTo("<h1>Hello</h1>\n");
        assertThat(pipeline.text(site + "css/site.css")).isEqualTo("h1 { color: tomato }\n");
        assertThat(pipeline.contentType(site + "index.html")).isEqualTo(type("text/html; charset=utf-8"));
        assertThat(pipeline.contentType(site + "css/site.css")).isEqualTo(type("text/css; charset=utf-8"));
        assertThat(pipeline.contentType(site + "images/logo.png")).isEqualTo(type("image/png"));
        assertThat(pipeline.redis().llen("build-queue:processing:replica-a-w1")).isZero();
        assertThat(workDir).isEmptyDirectory();
    }

    @Test
    void npmProjectIsBuiltAndOnlyItsOutputFolderIsPublished() {
        DeploymentId id = pipeline.uploaded(Map.of(
                "package.json", """
                        {"name": "built-site", "version": "1.0.0", "private": true, "scripts": {"build": "node build.js"}}
                        """,
                "build.js", """
                        const fs = require('fs');
                        fs.mkdirSync('dist/assets', {recursive: true});
                        fs.writeFileSync('dist/index.html', '<p>made by the build</p>\\n');
                        fs.writeFileSync('dist/assets/app.js', 'console.log("hi");\\n');
                        """));

        deploy(id);

        assertThat(pipeline.deployment(id).error()).isNull();
        assertThat(pipeline.state(id)).isEqualTo(DeploymentState.DEPLOYED);
        String site = ObjectKeys.site(id);
        assertThat(pipeline.keys(site)).containsExactlyInAnyOrder(site + "index.html", site + "assets/app.js");
        assertThat(pipeline.text(site + "index.html")).isEqualTo("<p>made by the build</p>\n");
        assertThat(pipeline.contentType(site + "assets/app.js")).isEqualTo(type("text/javascript; charset=utf-8"));
        assertThat(pipeline.text(ObjectKeys.log(id))).contains("$ npm install", "$ npm run build");
    }

    @Test
    void failingBuildEndsFailedWithTheExitCodeAndTheLastLinesOfItsLog() {
        DeploymentId id = pipeline.uploaded(Map.of("package.json", """
                {"name": "broken-site", "version": "1.0.0", "private": true,
                 "scripts": {"build": "echo compiling the site && echo something broke >&2 && exit 3"}}
                """));

        deploy(id);

        Deployment failed = pipeline.deployment(id);
        assertThat(failed.status()).isEqualTo(DeploymentState.FAILED);
        assertThat(failed.error())
                .startsWith("build failed: `npm run build` exited with code 3")
                .contains("compiling the site", "something broke");
        assertThat(failed.finishedAt()).isNotNull();
        assertThat(pipeline.keys(ObjectKeys.site(id))).isEmpty();
        assertThat(pipeline.text(ObjectKeys.log(id))).contains("something broke");
        assertThat(pipeline.redis().llen("build-queue:processing:replica-a-w1")).isZero();
    }

    @Test
    void buildWithoutItsOutputFolderFailsNamingTheFoldersItLookedFor() {
        DeploymentId id = pipeline.uploaded(Map.of("package.json", """
                {"name": "no-output", "version": "1.0.0", "private": true, "scripts": {"build": "echo nothing to do"}}
                """));

        deploy(id);

        assertThat(pipeline.deployment(id).error())
                .isEqualTo("the build made no output folder: expected one of dist, build, out");
    }

    @Test
    void unexpectedErrorFailsTheDeploymentWithAReasonAndTheWorkerGoesOn() throws IOException {
        DeploymentId first = pipeline.uploaded(Map.of("index.html", "one"));
        DeploymentId second = pipeline.uploaded(Map.of("index.html", "two"));
        pipeline.startPool("replica-a", 1, workDir, listener);
        Files.delete(workDir); // from under the running service: no build can have a folder now
        Files.writeString(workDir, "");

        pipeline.enqueue(first);
        pipeline.enqueue(second);
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.ids().size() == 2);

        for (DeploymentId id : listener.ids()) {
            assertThat(pipeline.state(id)).isEqualTo(DeploymentState.FAILED);
            assertThat(pipeline.deployment(id).error()).startsWith("internal error: FileSystemException");
        }
        assertThat(pipeline.redis().llen("build-queue:processing:replica-a-w1")).isZero();
    }

    @Test
    void deployedDeploymentOfAProjectBecomesWhatItsSiteServes() {
        DeploymentId first = pipeline.uploaded("shop", Map.of("index.html", "one"));
        DeploymentId second = pipeline.uploaded("shop", Map.of("index.html", "two"));
        DeploymentId unrelated = pipeline.uploaded(Map.of("index.html", "no project"));

        pipeline.enqueue(first);
        pipeline.enqueue(second);
        pipeline.enqueue(unrelated);
        pipeline.startPool("replica-a", 1, workDir, listener);
        awaitFinished(first);
        awaitFinished(second);
        awaitFinished(unrelated);

        ProjectName shop = new ProjectName("shop");
        assertThat(pipeline.projects().aliasTarget(shop)).contains(second);
        assertThat(pipeline.projects().history(shop, 10)).containsExactlyInAnyOrder(first, second);
        assertThat(pipeline.projects().names()).isEmpty();
    }

    @Test
    void requestsBuildSettingsWinOverTheProjectsSavedOnesWhichWinOverDetection() {
        pipeline.projects()
                .save(new Project(
                        new ProjectName("docs"),
                        "https://git.example.com/docs.git",
                        "main",
                        new BuildSettings(
                                null, "", "sh make-site.sh saved", "public", Map.of("GREETING", "from the project")),
                        false,
                        Instant.now()));
        Map<String, String> files = Map.of(
                "package.json", """
                        {"name": "docs", "version": "1.0.0", "private": true, "scripts": {"build": "exit 9"}}
                        """,
                "make-site.sh",
                        "mkdir -p public site && echo \"$1 $GREETING\" | tee public/index.html site/index.html\n");
        DeploymentId saved = pipeline.uploaded(files, BuildSettings.NONE, "docs");
        DeploymentId requested = pipeline.uploaded(
                files, new BuildSettings(null, null, "sh make-site.sh requested", "site", Map.of()), "docs");

        pipeline.enqueue(saved);
        pipeline.enqueue(requested);
        pipeline.startPool("replica-a", 1, workDir, listener);
        awaitFinished(saved);
        awaitFinished(requested);

        assertThat(pipeline.text(ObjectKeys.site(saved) + "index.html")).isEqualTo("saved from the project\n");
        assertThat(pipeline.text(ObjectKeys.site(requested) + "index.html")).isEqualTo("requested from the project\n");
        assertThat(pipeline.storedLog(requested)).doesNotContain("$ npm install --no-audit --no-fund");
    }

    @Test
    void appInARootDirectoryIsBuiltThereAndPublishedFromItsOutputFolder() {
        DeploymentId id = pipeline.uploaded(
                Map.of(
                        "README.md", "the app is in web/",
                        "web/package.json", """
                        {"name": "web", "version": "1.0.0", "private": true,
                         "scripts": {"build": "mkdir -p dist && echo made in $(basename $PWD) > dist/index.html"}}
                        """),
                new BuildSettings("web", null, null, null, Map.of()),
                null);

        deploy(id);

        assertThat(pipeline.state(id)).isEqualTo(DeploymentState.DEPLOYED);
        assertThat(pipeline.keys(ObjectKeys.site(id))).containsExactly(ObjectKeys.site(id) + "index.html");
        assertThat(pipeline.text(ObjectKeys.site(id) + "index.html")).isEqualTo("made in web\n");
    }

    @Test
    void rootDirectoryThatIsNotInTheRepositoryFailsClearly() {
        DeploymentId id = pipeline.uploaded(
                Map.of("index.html", "hi"), new BuildSettings("frontend", null, null, null, Map.of()), null);

        deploy(id);

        assertThat(pipeline.deployment(id).error())
                .isEqualTo("rootDirectory 'frontend' is not a folder in the repository");
        assertThat(pipeline.storedLog(id))
                .contains("Failed: rootDirectory 'frontend' is not a folder in the repository");
    }

    @Test
    void buildThatPrintsItsEnvironmentShowsNoneOfTheServicesSecretsInTheSiteOrTheLog() {
        DeploymentId id = pipeline.uploaded(
                Map.of("package.json", """
                {"name": "nosy", "version": "1.0.0", "private": true,
                 "scripts": {"build": "mkdir -p dist && env > dist/env.txt && env"}}
                """),
                new BuildSettings(null, null, null, null, Map.of("PUBLIC_API", "https://api.example.com")),
                null);

        deploy(id);

        String site = pipeline.text(ObjectKeys.site(id) + "env.txt");
        String storedLog = String.join("\n", pipeline.storedLog(id));
        String liveLog = String.join("\n", pipeline.liveLog(id));
        assertThat(site).contains("CI=true", "PUBLIC_API=https://api.example.com");
        assertThat(storedLog).contains("CI=true", "PUBLIC_API=***"); // every value of env is masked in the log
        assertThat(System.getenv())
                .as("secrets in this service's environment (set in the pom)")
                .containsKeys("AWS_SECRET_ACCESS_KEY", "REDIS_URL");
        for (String shown : List.of(site, storedLog, liveLog)) {
            assertThat(shown)
                    .doesNotContain(
                            System.getenv("AWS_SECRET_ACCESS_KEY"),
                            System.getenv("REDIS_URL"),
                            "AWS_SECRET_ACCESS_KEY",
                            "REDIS_URL",
                            S3Server.SECRET_KEY);
        }
    }

    @Test
    void symlinksInTheOutputAreNeverFollowedOutOfIt() {
        DeploymentId id = pipeline.uploaded(Map.of("package.json", """
                {"name": "links", "version": "1.0.0", "private": true, "scripts": {"build":
                 "mkdir -p dist && echo home > dist/index.html && ln -s /etc/passwd dist/passwd && ln -s /etc dist/etc"}}
                """));

        deploy(id);

        assertThat(pipeline.state(id)).isEqualTo(DeploymentState.DEPLOYED);
        assertThat(pipeline.keys(ObjectKeys.site(id))).containsExactly(ObjectKeys.site(id) + "index.html");
    }

    @Test
    void siteWithMoreFilesThanAllowedFailsNamingTheSetting() {
        DeploymentId id = pipeline.uploaded(Map.of("package.json", """
                {"name": "many", "version": "1.0.0", "private": true,
                 "scripts": {"build": "mkdir -p dist && for i in 1 2 3 4 5 6; do echo $i > dist/$i.html; done"}}
                """));

        deploy(id, Builds.DEFAULT.with("site.max-files", "5"));

        assertThat(pipeline.deployment(id).error())
                .isEqualTo("the site is too large: it has more than 5 files (SITE_MAX_FILES)");
        assertThat(pipeline.keys(ObjectKeys.site(id))).isEmpty();
    }

    @Test
    void buildThatHangsIsKilledAtTheTimeLimitWithItsChildrenAndFails() {
        String child = TestProcesses.marker();
        DeploymentId id = pipeline.uploaded(Map.of("package.json", """
                {"name": "hangs", "version": "1.0.0", "private": true,
                 "scripts": {"build": "echo compiling; sh -c 'sleep %s' & wait"}}
                """.formatted(child)));

        start(id, Builds.DEFAULT.withTimeout(Duration.ofSeconds(5)));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !TestProcesses.withArgument(child).isEmpty());
        awaitFinished(id);

        assertThat(pipeline.deployment(id).error())
                .startsWith("build timed out after 5s: `npm run build` was killed")
                .contains("compiling");
        assertThat(TestProcesses.withArgument(child)).isEmpty();
        assertThat(pipeline.storedLog(id)).contains("[killed: the build ran longer than 5s]");
    }

    @Test
    void daemonABuildStartsIsKilledWhenTheBuildEnds() {
        String daemon = TestProcesses.marker();
        DeploymentId id = pipeline.uploaded(Map.of("package.json", """
                {"name": "daemon", "version": "1.0.0", "private": true, "scripts": {"build":
                 "setsid sh -c 'sleep %s' >/dev/null 2>&1 </dev/null & mkdir -p dist && echo up > dist/index.html && sleep 1"}}
                """.formatted(daemon)));

        start(id, Builds.DEFAULT);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !TestProcesses.withArgument(daemon).isEmpty());
        awaitFinished(id);

        assertThat(pipeline.state(id)).isEqualTo(DeploymentState.DEPLOYED);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> TestProcesses.withArgument(daemon).isEmpty());
    }

    private void deploy(DeploymentId id) {
        deploy(id, Builds.DEFAULT);
    }

    private void deploy(DeploymentId id, Builds builds) {
        start(id, builds);
        awaitFinished(id);
    }

    private void start(DeploymentId id, Builds builds) {
        pipeline.enqueue(id);
        pipeline.startPool("replica-a", 1, workDir, Duration.ofSeconds(10), listener, builds);
    }

    private void awaitFinished(DeploymentId id) {
        await().atMost(Duration.ofSeconds(90)).until(() -> listener.ids().contains(id));
    }

    private static MediaType type(String contentType) {
        return MediaType.parseMediaType(contentType);
    }
}
