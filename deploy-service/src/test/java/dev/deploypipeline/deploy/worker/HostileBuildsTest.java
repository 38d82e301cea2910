package dev.deploypipeline.deploy.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.deploypipeline.deploy.builder.TestProcesses;
import dev.deploypipeline.deploy.sandbox.TestSandbox;
import dev.deploypipeline.deploy.worker.TestPipeline.Builds;
import dev.deploypipeline.deployment.BuildSettings;
import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.deployment.DeploymentState;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.testing.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * Repositories written by an attacker, built by real worker pools in the real sandbox. Each gains nothing: it
 * ends failed with a reason or deployed with only its own files, and the replica goes on to deploy the next
 * site as if nothing had happened.
 */
class HostileBuildsTest {

    @RegisterExtension
    static final TestPipeline pipeline = new TestPipeline();

    private final RecordingListener listener = new RecordingListener();

    @TempDir
    Path workDir;

    /** Whatever a hostile build did, the replica that built it still deploys an ordinary site. */
    @AfterEach
    void theReplicaStillDeploysTheNextSite() {
        DeploymentId next = pipeline.uploaded(Map.of("index.html", "<p>next</p>"));
        pipeline.enqueue(next);
        awaitFinished(next);
        assertThat(pipeline.state(next)).isEqualTo(DeploymentState.DEPLOYED);
        assertThat(pipeline.text(ObjectKeys.site(next) + "index.html")).isEqualTo("<p>next</p>");
    }

    @Test
    void aPackageThatPlantsWrapperProgramsOnThePathGetsThemRunByNobodyButItself() {
        String marker = TestProcesses.marker();
        Path planted = Path.of("/tmp/planted-wrapper-ran-" + marker);
        DeploymentId id = pipeline.uploaded(Map.of(
                "package.json", """
                        {"name": "planter", "version": "1.0.0", "private": true, "packageManager": "pnpm@9.15.9",
                         "scripts": {"postinstall": "sh plant.sh", "build": "sh build.sh"}}
                        """,
                "pnpm-lock.yaml", "lockfileVersion: '6.0'\n",
                "wrapper.sh", """
                        #!/bin/sh
                        id >> %s
                        exec /usr/bin/$(basename "$0") "$@"
                        """.formatted(planted),
                "plant.sh", """
                        for name in unshare setsid setpriv bwrap env prlimit kill sh mount umount node; do
                          cp wrapper.sh "$HOME/.build-tools/$name" && chmod +x "$HOME/.build-tools/$name"
                        done
                        echo planted $(ls "$HOME/.build-tools" | wc -l) programs
                        """,
                "build.sh", """
                        echo setpriv is now $(command -v setpriv)
                        mkdir -p dist && echo built > dist/index.html
                        """));

        deploy(id, Builds.DEFAULT);

        assertThat(pipeline.deployment(id).error()).isNull();
        assertThat(pipeline.storedLog(id))
                .anyMatch(line -> line.startsWith("planted "))
                .contains("setpriv is now /build/home/.build-tools/setpriv");
        assertThat(planted)
                .as("a wrapper run by this machine's root (or by anyone outside the sandbox)")
                .doesNotExist();
    }

    @Test
    void variablesThatChangeHowProgramsLoadNeverReachABuild() {
        DeploymentId id = pipeline.uploaded(
                Map.of("index.html", "hi"),
                new BuildSettings(null, null, "true", null, Map.of("LD_PRELOAD", "/build/source/evil.so")),
                null);

        deploy(id, Builds.DEFAULT);

        assertThat(pipeline.deployment(id).error())
                .isEqualTo("env LD_PRELOAD changes how programs are loaded or found, and cannot be given");
    }

    @Test
    void aBuildThatScansForThePipelinesServersAndTheMetadataAddressReachesNone() {
        int redis = pipeline.redisServer().port();
        int s3 = S3Server.shared().endpoint().getPort();
        DeploymentId id = pipeline.uploaded(
                Map.of("package.json", """
                        {"name": "scanner", "version": "1.0.0", "private": true, "scripts": {"build": "node scan.js"}}
                        """, "scan.js", """
                        const net = require('net'), http = require('http'), fs = require('fs');
                        const proxy = new URL(process.env.HTTPS_PROXY);
                        const results = [];
                        const direct = (port) => new Promise((done) => {
                          const socket = net.connect(port, '127.0.0.1', () => {
                            socket.write('HSET aliases victim stolen\\r\\n');
                            results.push(`direct 127.0.0.1:${port} connected`); socket.destroy(); done(); });
                          socket.on('error', (e) => { results.push(`direct 127.0.0.1:${port} ${e.code}`); done(); });
                        });
                        const tunnel = (target) => new Promise((done) => {
                          http.request({host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: target})
                            .on('connect', (response, socket) => {
                              results.push(`tunnel ${target} ${response.statusCode}`); socket.destroy(); done(); })
                            .on('error', (e) => { results.push(`tunnel ${target} ${e.code}`); done(); })
                            .end();
                        });
                        (async () => {
                          for (const port of [%d, %d]) await direct(port);
                          for (const target of ['127.0.0.1:%d', '127.0.0.1:%d', 'localhost:%d', '169.254.169.254:80',
                              '10.0.0.1:6379', '[::1]:%d']) await tunnel(target);
                          results.forEach((line) => console.log(line));
                          fs.mkdirSync('dist', {recursive: true});
                          fs.writeFileSync('dist/index.html', results.join('\\n'));
                        })();
                        """.formatted(redis, s3, redis, s3, redis, redis)),
                BuildSettings.NONE,
                null);

        // Redis is allowlisted too: the pipeline's own servers are refused whatever the allowlist says.
        deploy(id, Builds.DEFAULT.allowing("127.0.0.1:" + redis));

        List<String> log = pipeline.storedLog(id);
        assertThat(pipeline.deployment(id).error()).isNull();
        assertThat(log)
                .contains(
                        "direct 127.0.0.1:" + redis + " ECONNREFUSED",
                        "direct 127.0.0.1:" + s3 + " ECONNREFUSED",
                        "tunnel 127.0.0.1:" + redis + " 403",
                        "tunnel 127.0.0.1:" + s3 + " 403",
                        "tunnel localhost:" + redis + " 403",
                        "tunnel 169.254.169.254:80 403",
                        "tunnel 10.0.0.1:6379 403",
                        "tunnel [::1]:" + redis + " 403");
        for (String refused : List.of("127.0.0.1:" + redis, "127.0.0.1:" + s3, "169.254.169.254:80", "10.0.0.1:6379")) {
            assertThat(log)
                    .as("the gate tells the build's log what it refused")
                    .anyMatch(line -> line.startsWith("[network] refused") && line.contains(refused));
        }
        assertThat(pipeline.redis().hget("aliases", "victim")).isNull();
    }

    @Test
    void twoBuildsAtOnceCannotSeeSignalOrReadEachOther() {
        String secret = "the-first-builds-secret-" + TestProcesses.marker();
        DeploymentId first = pipeline.uploaded(
                Map.of("package.json", """
                {"name": "first", "version": "1.0.0", "private": true,
                 "scripts": {"build": "echo mine > secret.txt && mkdir -p dist && echo first > dist/index.html && sleep 8"}}
                """),
                new BuildSettings(null, null, null, null, Map.of("FIRST_SECRET", secret)),
                null);
        DeploymentId second = pipeline.uploaded(Map.of("package.json", """
                {"name": "second", "version": "1.0.0", "private": true, "scripts": {"build": "sh probe.sh"}}
                """, "probe.sh", """
                sleep 2
                echo uids seen: $(stat -c %%u /proc/[0-9]* 2>/dev/null | sort -u | tr '\\n' ' ')
                echo id: $(id -u)
                cat /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n' | grep -c FIRST_SECRET || true
                ls %s 2>&1 | head -1
                mkdir -p dist && echo second > dist/index.html
                echo signalling every process it may && kill -9 -1
                """.formatted(workDir)));

        pipeline.enqueue(first);
        pipeline.enqueue(second);
        pipeline.startPool("replica-a", 2, workDir, Duration.ofSeconds(10), listener, Builds.DEFAULT);
        awaitFinished(first);
        awaitFinished(second);

        Deployment one = pipeline.deployment(first);
        Deployment two = pipeline.deployment(second);
        assertThat(one.buildStartedAt()).as("they built at the same time").isBefore(two.finishedAt());
        assertThat(two.buildStartedAt()).isBefore(one.finishedAt());
        assertThat(one.status()).isEqualTo(DeploymentState.DEPLOYED);
        assertThat(pipeline.text(ObjectKeys.site(first) + "index.html")).isEqualTo("first\n");
        List<String> probe = pipeline.storedLog(second);
        String uid = probe.stream()
                .filter(line -> line.startsWith("id: "))
                .findFirst()
                .orElseThrow()
                .substring(4);
        assertThat(probe)
                .contains("uids seen: " + uid, "0", "signalling every process it may")
                .anyMatch(line -> line.contains("No such file or directory") && line.contains(workDir.toString()));
        assertThat(String.join("\n", probe)).doesNotContain(secret);
    }

    @Test
    void aBoundedProcessFloodEndsFailedAtTheProcessLimit() {
        DeploymentId id = pipeline.uploaded(Map.of("package.json", """
                {"name": "flood", "version": "1.0.0", "private": true, "scripts": {"build": "node flood.js"}}
                """, "flood.js", """
                const { spawn } = require('child_process');
                for (let i = 0; i < 2000; i++) spawn('sleep', ['20']);
                """));

        deploy(id, Builds.DEFAULT.withLimits(DataSize.ofGigabytes(2), 64, DataSize.ofGigabytes(4)));

        assertThat(pipeline.deployment(id).error())
                .startsWith(
                        "build failed: reached its process limit (64 processes and threads, BUILD_MAX_PROCESSES): `npm run build`");
    }

    /**
     * Four busy loops for three seconds, enough to take every core of a machine of four, in a build of half a
     * core: the loops report the CPU time the kernel counted them (their ticks in {@code /proc}), and the build's
     * cgroup that the kernel held them back.
     */
    @Test
    void busyLoopsInManyProcessesGetNoMoreThanTheBuildsCpuTime() {
        DeploymentId id = pipeline.uploaded(
                Map.of("burn.sh", """
                        start=$(date +%s%N)
                        for i in 1 2 3 4; do sh -c 'while :; do :; done' & pids="$pids $!"; done
                        sleep 3
                        ticks=0
                        for p in $pids; do set -- $(cut -d' ' -f14,15 /proc/$p/stat); ticks=$((ticks + $1 + $2)); done
                        end=$(date +%s%N)
                        kill $pids
                        echo "busy loops used $ticks ticks of $(getconf CLK_TCK) a second in $(((end - start) / 1000000)) ms"
                        mkdir -p dist && echo burnt > dist/index.html
                        """), new BuildSettings(null, null, "sh burn.sh", "dist", Map.of()), null);
        AtomicReference<Map<String, Long>> cpuStat = new AtomicReference<>(Map.of());

        pipeline.enqueue(id);
        pipeline.startPool("replica-a", 1, workDir, Duration.ofSeconds(10), listener, Builds.DEFAULT.withCpus(0.5));
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            TestSandbox.cpuStat(id).ifPresent(cpuStat::set); // its counters only grow
            return listener.ids().contains(id);
        });

        assertThat(pipeline.deployment(id).error()).isNull();
        Matcher used = pipeline.storedLog(id).stream()
                .map(Pattern.compile("busy loops used (\\d+) ticks of (\\d+) a second in (\\d+) ms")::matcher)
                .filter(Matcher::matches)
                .findFirst()
                .orElseThrow();
        double seconds = Double.parseDouble(used.group(1)) / Double.parseDouble(used.group(2));
        double wall = Double.parseDouble(used.group(3)) / 1000;
        assertThat(seconds / wall)
                .as("cores used: %s s of CPU time in %s s", seconds, wall)
                .isBetween(0.2, 0.75);
        assertThat(cpuStat.get().getOrDefault("nr_throttled", 0L))
                .as("periods in which the kernel held the build back, by its cgroup's count: %s", cpuStat.get())
                .isPositive();
    }

    @Test
    void aMemoryHogEndsFailedAtTheMemoryLimit() {
        DeploymentId id = pipeline.uploaded(Map.of("package.json", """
                {"name": "hog", "version": "1.0.0", "private": true, "scripts": {"build": "node hog.js"}}
                """, "hog.js", """
                const held = [];
                for (let i = 0; i < 32; i++) held.push(Buffer.alloc(64 * 1024 * 1024, 1)); // 2GB at most
                """));

        deploy(id, Builds.DEFAULT.withLimits(DataSize.ofMegabytes(256), 1024, DataSize.ofGigabytes(4)));

        assertThat(pipeline.deployment(id).error())
                .startsWith("build failed: ran out of memory (limit 256MB, BUILD_MEMORY): `npm run build`");
    }

    @Test
    void aDiskFillerEndsFailedAtTheDiskLimitWithoutFillingThisMachinesDisk() {
        DeploymentId id = pipeline.uploaded(Map.of("package.json", """
                {"name": "filler", "version": "1.0.0", "private": true,
                 "scripts": {"build": "dd if=/dev/zero of=/tmp/filler bs=1M count=2048"}}
                """));

        deploy(id, Builds.DEFAULT.withLimits(DataSize.ofGigabytes(2), 1024, DataSize.ofMegabytes(64)));

        assertThat(pipeline.deployment(id).error())
                .startsWith("build failed: ran out of disk space (limit 64MB, BUILD_MAX_DISK): `npm run build`")
                .contains("No space left on device");
    }

    @Test
    void sourcesLargerThanTheFetchLimitAreNotDownloaded() {
        DeploymentId id = pipeline.uploaded(Map.of("index.html", "x".repeat(4096), "big.txt", "y".repeat(4096)));

        deploy(id, Builds.DEFAULT.withSourcesMaxSize(DataSize.ofKilobytes(4)));

        assertThat(pipeline.deployment(id).error())
                .startsWith("the sources are too large: ")
                .endsWith("more than the 4096 allowed (FETCH_MAX_SIZE)");
    }

    @Test
    void aFileSwappedForALinkAfterTheBuildIsNeverPublishedAsTheLinksTarget() {
        DeploymentId id = pipeline.uploaded(Map.of("package.json", """
                {"name": "swapper", "version": "1.0.0", "private": true, "scripts": {"build": "sh swap.sh"}}
                """, "swap.sh", """
                mkdir -p dist && echo home > dist/index.html && echo mine > dist/page.html
                nohup setsid sh -c 'while :; do ln -sfn /etc/shadow dist/page.tmp; mv -fT dist/page.tmp dist/page.html;
                  echo mine > dist/page.tmp; mv -fT dist/page.tmp dist/page.html; done' >/dev/null 2>&1 &
                sleep 1
                """));

        deploy(id, Builds.DEFAULT);

        assertThat(pipeline.state(id)).isEqualTo(DeploymentState.DEPLOYED);
        String page = pipeline.text(ObjectKeys.site(id) + "page.html");
        assertThat(page)
                .as("its own file, or nothing where a link stood: never /etc/shadow")
                .satisfiesAnyOf(
                        text -> assertThat(text).isNull(),
                        text -> assertThat(text).isEqualTo("mine\n"));
        assertThat(pipeline.keys(ObjectKeys.site(id)))
                .allSatisfy(key -> assertThat(pipeline.text(key)).doesNotContain("root:"));
    }

    @Test
    void aPackageJsonOfTensOfMegabytesEndsFailedNamingItsSizeBeforeItIsParsed() {
        String huge = "x".repeat(40 * 1024 * 1024);
        DeploymentId id = pipeline.uploaded(Map.of(
                "index.html", "<p>hi</p>", "package.json", "{\"name\": \"huge\", \"description\": \"" + huge + "\"}"));

        deploy(id, Builds.DEFAULT); // then the same worker deploys the next site (after each)

        assertThat(pipeline.state(id)).isEqualTo(DeploymentState.FAILED);
        assertThat(pipeline.deployment(id).error())
                .isEqualTo("package.json is too large: it holds 40.0 MB, more than the 1MB a manifest may hold");
        assertThat(pipeline.keys(ObjectKeys.site(id))).isEmpty();
    }

    @Test
    void aBuildThatReplacesItsSourceFolderWithALinkToTheMachinesRootPublishesNothing() {
        DeploymentId id = pipeline.uploaded(
                Map.of("index.html", "<p>mine</p>"),
                new BuildSettings(null, null, "mv /build/source /build/s && ln -s / /build/source", "etc", Map.of()),
                null);

        deploy(id, Builds.DEFAULT);

        assertThat(pipeline.state(id)).isEqualTo(DeploymentState.FAILED);
        assertThat(pipeline.deployment(id).error())
                .startsWith(
                        "the build replaced its folder source with a symbolic link: nothing of it is published or cached");
        assertThat(pipeline.keys(ObjectKeys.site(id))).isEmpty();
    }

    @Test
    void aBuildThatReplacesItsHomeWithALinkToAHostFolderGetsNoneOfItsFilesCached(@TempDir Path hostFolder)
            throws IOException {
        Path store = Files.createDirectories(hostFolder.resolve(".npm/_cacache"));
        Files.writeString(store.resolve("host-secret"), "root's own");
        Files.setPosixFilePermissions(hostFolder, PosixFilePermissions.fromString("rwx------"));
        DeploymentId id = pipeline.uploaded(
                Map.of("package.json", """
                        {"name": "home-swapper", "version": "1.0.0", "private": true, "scripts": {"build": "true"}}
                        """),
                new BuildSettings(
                        null,
                        "",
                        "mkdir -p dist && echo mine > dist/index.html"
                                + " && mv /build/home /build/h && ln -s %s /build/home".formatted(hostFolder),
                        null,
                        Map.of()),
                "home-swapper");

        deploy(id, Builds.DEFAULT); // the listener hears of it once the cache's save, if any, is over

        assertThat(pipeline.state(id)).isEqualTo(DeploymentState.FAILED);
        assertThat(pipeline.deployment(id).error())
                .startsWith(
                        "the build replaced its folder home with a symbolic link: nothing of it is published or cached");
        assertThat(pipeline.keys("cache/projects/home-swapper/")).isEmpty();
        assertThat(pipeline.keys(ObjectKeys.site(id))).isEmpty();
    }

    private void deploy(DeploymentId id, Builds builds) {
        pipeline.enqueue(id);
        pipeline.startPool("replica-a", 1, workDir, Duration.ofSeconds(10), listener, builds);
        awaitFinished(id);
    }

    private void awaitFinished(DeploymentId id) {
        await().atMost(Duration.ofSeconds(120)).until(() -> listener.ids().contains(id));
    }
}
