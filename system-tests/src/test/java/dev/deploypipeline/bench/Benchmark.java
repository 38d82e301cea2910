package dev.deploypipeline.bench;

import dev.deploypipeline.testing.BuildFolders;
import dev.deploypipeline.testing.LocalProcess;
import dev.deploypipeline.testing.NpmRegistry;
import dev.deploypipeline.testing.PipelineServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code scripts/bench.sh}: the pipeline on its defaults (Redis, S3Proxy and git over HTTP from the test kit, each
 * service a process of its own started as the machine starts it, one deploy replica with 2 workers) measured side
 * by side with what a user compares it with, in one run; prints one table. {@code --short} runs every row with
 * small counts, so CI keeps it working; its figures mean nothing.
 */
public final class Benchmark {

    /** How much of each workload is run. */
    record Counts(int files, int fileRuns, int staticRuns, int sites) {
        static final Counts FULL = new Counts(1000, 5, 15, 60);
        static final Counts SHORT = new Counts(50, 1, 3, 6);
    }

    static final String REPLICA = "bench-replica";

    private Benchmark() {}

    public static void main(String[] args) throws IOException {
        boolean isShort = List.of(args).contains("--short");
        Counts counts = isShort ? Counts.SHORT : Counts.FULL;
        Path root =
                Path.of(System.getProperty("bench.root", "..")).toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("deploy-pipeline-bench-");
        // Builds run as an unprivileged user, who must pass through this folder to reach its workspace.
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        Path logs = work.resolve("logs");
        Files.createDirectories(logs);
        System.out.println("Benchmark" + (isShort ? " (--short: small counts, the figures mean nothing)" : "")
                + "; services started by " + BenchService.launcherOf(root) + "; logs in " + logs);
        Report report = new Report();
        List<BenchService> services = new ArrayList<>();
        try (PipelineServers servers = PipelineServers.startAlone()) {
            servers.git(); // its address is in every service's GIT_ALLOWED_HOSTS
            Map<String, String> environment = servers.environment();
            BenchService upload = BenchService.start(root, "upload-service", "upload-service", environment, logs);
            services.add(upload);
            upload.awaitReady(Duration.ofMinutes(3), () -> true);
            BenchService replica =
                    BenchService.start(root, "deploy-service", REPLICA, replicaEnvironment(environment, work), logs);
            services.add(replica);
            Duration replicaStart = replica.awaitReady(
                    Duration.ofMinutes(3),
                    () -> servers.redis().exists("build-queue:heartbeat:" + REPLICA + "-w1") > 0);
            BenchService handler = BenchService.start(root, "request-handler", "request-handler", environment, logs);
            services.add(handler);
            handler.awaitReady(Duration.ofMinutes(3), () -> true);

            Workloads workloads = new Workloads(
                    servers,
                    upload,
                    new Submissions(upload.baseUrl(), servers.deployments()),
                    new Commands(logs.resolve("commands.log")),
                    work,
                    report);
            workloads.staticSite(counts.staticRuns());
            workloads.manyFiles(counts.files(), counts.fileRuns());
            workloads.throughput(counts.sites());
            workloads.viteApp(root.resolve("system-tests/src/test/resources/fixtures/vite-react"));
            for (BenchService service : services) {
                report.row(
                        "resident memory of " + service.name() + " after the run",
                        megabytes(service.residentBytes()),
                        "—",
                        "(≤ 256 MB)");
            }
            report.row(
                    "deploy replica start: JVM start → health UP and consuming",
                    Samples.format(replicaStart),
                    "—",
                    "—");
        } finally {
            for (int i = services.size() - 1; i >= 0; i--) {
                services.get(i).close();
            }
            report.print(System.out);
            LocalProcess.deleteRecursively(work.resolve("builds-" + REPLICA));
        }
    }

    /** One replica with 2 workers; builds may reach this machine's npm registry, read at run time. */
    private static Map<String, String> replicaEnvironment(Map<String, String> servers, Path work) {
        Map<String, String> environment = new LinkedHashMap<>(servers);
        environment.put("DEPLOY_REPLICA_NAME", REPLICA);
        environment.put("DEPLOY_WORKERS", "2");
        environment.put(
                "DEPLOY_WORK_DIR",
                BuildFolders.reachable(work.resolve("builds-" + REPLICA)).toString());
        environment.put("BUILD_EGRESS_ALLOWED_HOSTS", NpmRegistry.hostAndPort());
        environment.put(
                "COREPACK_NPM_REGISTRY", NpmRegistry.serviceEnvironment().get("COREPACK_NPM_REGISTRY"));
        return environment;
    }

    private static String megabytes(long bytes) {
        return (bytes / (1024 * 1024)) + " MB";
    }

    /** {@code count} files of {@code size} bytes each, the same every run. */
    static Map<String, byte[]> files(int count, int size) {
        Random random = new Random(12);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            byte[] content = new byte[size];
            random.nextBytes(content);
            files.put("files/" + (i / 100) + "/file-" + i + ".bin", content);
        }
        return files;
    }
}
