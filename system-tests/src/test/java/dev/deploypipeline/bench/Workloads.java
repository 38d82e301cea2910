package dev.deploypipeline.bench;

import dev.deploypipeline.deployment.Deployment;
import dev.deploypipeline.deployment.DeploymentId;
import dev.deploypipeline.storage.ObjectKeys;
import dev.deploypipeline.testing.PipelineServers;
import dev.deploypipeline.testing.TestRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The benchmark's rows: each workload run through the pipeline, and where it has one, its reference beside it. */
final class Workloads {

    private static final Duration DEPLOY_LIMIT = Duration.ofMinutes(10);
    /** Clients submitting side by side in the throughput row, as a script or CI fanning out would. */
    private static final int SUBMITTERS = 8;

    private final PipelineServers servers;
    private final BenchService upload;
    private final Submissions submissions;
    private final Commands commands;
    private final Path work;
    private final Report report;
    private int folders;

    Workloads(
            PipelineServers servers,
            BenchService upload,
            Submissions submissions,
            Commands commands,
            Path work,
            Report report) {
        this.servers = servers;
        this.upload = upload;
        this.submissions = submissions;
        this.commands = commands;
        this.work = work;
        this.report = report;
    }

    /** A 5-file site submitted and deployed {@code runs} times one after another, after one not counted. */
    void staticSite(int runs) {
        String url = repository(
                "static-5",
                Map.of(
                        "index.html",
                                "<!doctype html><title>bench</title><link rel=stylesheet href=site.css><h1>bench</h1>",
                        "site.css", "h1 { color: tomato }",
                        "app.js", "console.log('bench')",
                        "about/index.html", "<p>about</p>",
                        "logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>"));
        submissions.deploy(url, DEPLOY_LIMIT); // the first after start warms the services up
        Samples total = new Samples();
        Samples fetch = new Samples();
        Samples queue = new Samples();
        Samples publish = new Samples();
        for (int i = 0; i < runs; i++) {
            Deployment deployment = submissions.deploy(url, DEPLOY_LIMIT);
            total.add(Submissions.total(deployment));
            fetch.add(Submissions.fetch(deployment));
            queue.add(Submissions.queue(deployment));
            publish.add(Submissions.publish(deployment));
        }
        report.row(
                "5-file static site, submit → deployed, p50 of " + runs,
                Samples.format(total.median()) + " (fetch " + Samples.format(fetch.median()) + ", queue "
                        + Samples.format(queue.median()) + ", publish " + Samples.format(publish.median()) + ")",
                "—",
                "(p50 ≤ 250 ms)");
        report.row(
                "5-file static site, submit → deployed, p95 of " + runs,
                Samples.format(total.percentile(95)),
                "—",
                "—");
    }

    /**
     * {@code files} files of 4 KB: fetch + upload and static publish, against clone + uploadDirectory, side by side
     * in turn, after one round of each not counted: the first warms up the S3 server and the JVM of each side (the
     * reference's first took twice its later ones), and a service runs warm.
     */
    void manyFiles(int files, int runs) {
        String url = repository("files-" + files, Benchmark.files(files, 4096));
        Samples fetch = new Samples();
        Samples publish = new Samples();
        Samples reference = new Samples();
        Samples serverCpu = new Samples();
        long objects = 0;
        Optional<Duration> cli;
        try (ReferenceUpload bare = new ReferenceUpload(commands, servers.bucket(), servers.s3Server())) {
            submissions.deploy(url, DEPLOY_LIMIT);
            bare.run(url, folder("reference-clone"), "bench-reference/warm-up/");
            for (int i = 0; i < runs; i++) {
                Deployment deployment = submissions.deploy(url, DEPLOY_LIMIT);
                fetch.add(Submissions.fetch(deployment));
                publish.add(Submissions.publish(deployment));
                ReferenceUpload.Run run = bare.run(url, folder("reference-clone"), "bench-reference/" + i + "/");
                reference.add(run.took());
                run.serverCpu().ifPresent(serverCpu::add);
                objects = run.objects();
            }
            cli = bare.runCli(url, folder("reference-cli-clone"), "bench-reference-cli/");
        }
        report.row(
                files + " files × 4 KB, fetch + upload of sources (median of " + runs + ", after one not counted)",
                Samples.format(fetch.median()),
                "`git clone --depth 1` + `S3TransferManager.uploadDirectory`: " + Samples.format(reference.median()),
                String.format(Locale.ROOT, "%.1f× faster (≥ 3×)", ratio(reference.median(), fetch.median())));
        report.row(
                files + " files × 4 KB, against the AWS CLI (one run)",
                Samples.format(fetch.median()),
                cli.map(took -> "`git clone --depth 1` + `aws s3 cp --recursive`: " + Samples.format(took))
                        .orElse("no `aws` on the PATH"),
                cli.map(took -> String.format(Locale.ROOT, "%.1f× faster", ratio(took, fetch.median())))
                        .orElse("—"));
        if (serverCpu.count() > 0) {
            noteWhereCpuGoes(files, objects, serverCpu.median(), reference.median(), pipelineCpu(url));
        }
        report.row(
                "same repository, static publish (building → deployed)",
                Samples.format(publish.median()),
                "—",
                "(≤ 1 s)");
    }

    /**
     * Where the CPU of the fetch + upload row goes, against the time 3× would leave: the S3 server's for the
     * reference's upload, and for one fetch + upload of the pipeline the S3 server's, upload-service's and the git
     * server's. On this machine's cores their sum bounds the pipeline's time from below.
     */
    private void noteWhereCpuGoes(int files, long objects, Duration cpu, Duration reference, FetchCpu pipeline) {
        int cores = Runtime.getRuntime().availableProcessors();
        Duration all = pipeline.server().plus(pipeline.service()).plus(pipeline.git());
        report.note(String.format(
                Locale.ROOT,
                "CPU time of the %d-file row. The reference's upload of %d objects: %s in the S3 server (median of"
                        + " the counted runs). The pipeline's fetch + upload of %d files, one object each, in a run of"
                        + " its own: %s in the S3 server, %s in upload-service, %s in the git server and this"
                        + " benchmark; %s in all, at least %s on %d cores, where 3× leaves %s.",
                files,
                objects,
                Samples.format(cpu),
                files,
                Samples.format(pipeline.server()),
                Samples.format(pipeline.service()),
                Samples.format(pipeline.git()),
                Samples.format(all),
                Samples.format(all.dividedBy(cores)),
                cores,
                Samples.format(reference.dividedBy(3))));
    }

    /** Where one fetch + upload spends CPU: the S3 server, upload-service, and this JVM (the git server's). */
    private record FetchCpu(Duration server, Duration service, Duration git) {}

    /** The CPU used over one deployment's fetch + upload, up to the moment its sources are stored. */
    private FetchCpu pipelineCpu(String url) {
        Duration server = servers.s3Server().cpuTime().orElseThrow();
        Duration service = upload.cpuTime();
        Duration here = ProcessHandle.current().info().totalCpuDuration().orElseThrow();
        DeploymentId id = submissions.submit(url);
        submissions.awaitFetched(id, DEPLOY_LIMIT);
        FetchCpu used = new FetchCpu(
                servers.s3Server().cpuTime().orElseThrow().minus(server),
                upload.cpuTime().minus(service),
                ProcessHandle.current().info().totalCpuDuration().orElseThrow().minus(here));
        submissions.awaitDeployed(id, DEPLOY_LIMIT);
        return used;
    }

    /**
     * {@code sites} deployments of a static site submitted at once, by {@link #SUBMITTERS} clients side by side;
     * deployments a second, first submit to last end. A first batch as large, not counted, warms the services up,
     * as the first deployment of {@link #staticSite} does.
     */
    void throughput(int sites) {
        String url = repository("static-many", Map.of("index.html", "<h1>many</h1>", "a.css", "a{}", "b.js", "1"));
        submitAtOnce(url, sites).forEach(id -> submissions.awaitDeployed(id, DEPLOY_LIMIT));
        Instant start = Instant.now();
        List<DeploymentId> ids = submitAtOnce(url, sites);
        List<Deployment> deployed = ids.stream()
                .map(id -> submissions.awaitDeployed(id, DEPLOY_LIMIT))
                .toList();
        Instant last = deployed.stream()
                .map(Deployment::finishedAt)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        Instant lastUploaded = deployed.stream()
                .map(Deployment::uploadedAt)
                .max(Comparator.naturalOrder())
                .orElseThrow();
        double seconds = Duration.between(start, last).toMillis() / 1000.0;
        // Which side bounds it: upload-service's fetches, or the replica's publishes after them.
        report.row(
                sites + " static sites submitted at once, one replica, 2 workers (after one such batch not counted)",
                String.format(
                        Locale.ROOT,
                        "%.1f deployments/s (%d in %.2f s; the last uploaded at %.2f s)",
                        sites / seconds,
                        sites,
                        seconds,
                        Duration.between(start, lastUploaded).toMillis() / 1000.0),
                "—",
                "(≥ 30/s)");
    }

    /** {@code count} submissions of {@code url} at once: from {@link #SUBMITTERS} clients side by side. */
    private List<DeploymentId> submitAtOnce(String url, int count) {
        ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS);
        try {
            List<Future<DeploymentId>> submitted = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                submitted.add(submitters.submit(() -> submissions.submit(url)));
            }
            List<DeploymentId> ids = new ArrayList<>();
            for (Future<DeploymentId> id : submitted) {
                ids.add(id.get());
            }
            return ids;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            submitters.shutdownNow();
        }
    }

    /**
     * The create-vite react-ts app: the pipeline's cold then warm build, each beside the bare one. Each
     * deployment's build log is kept beside the services' logs, as {@code vite-cold.log} and {@code vite-warm.log}.
     */
    void viteApp(Path fixture) {
        servers.git().repository("vite-react-ts").copyOf(fixture, "").commit("create-vite react-ts");
        String url = servers.git().url("vite-react-ts");
        BareBuild bare = new BareBuild(commands, work.resolve("npm-cache"));
        Deployment pipelineCold = submissions.deploy(url, DEPLOY_LIMIT);
        keepBuildLog(pipelineCold, "vite-cold.log");
        Duration bareCold = bare.run(url, folder("vite-clone"));
        Deployment pipelineWarm = submissions.deploy(url, DEPLOY_LIMIT);
        keepBuildLog(pipelineWarm, "vite-warm.log");
        Duration bareWarm = bare.run(url, folder("vite-clone"));
        report.row(
                "create-vite react-ts app, cold: submit → deployed",
                phases(pipelineCold),
                "bare `npm ci && npm run build` in a fresh clone, cold npm cache: " + Samples.format(bareCold),
                Samples.compare(Submissions.total(pipelineCold), bareCold) + " (≤ +2 s)");
        report.row(
                "create-vite react-ts app, warm: submit → deployed",
                phases(pipelineWarm),
                "bare `npm ci && npm run build` in a fresh clone, warm npm cache: " + Samples.format(bareWarm),
                Samples.compare(Submissions.total(pipelineWarm), bareWarm) + " (≤ +1.0 s)");
    }

    private static String phases(Deployment deployment) {
        return Samples.format(Submissions.total(deployment)) + " (fetch "
                + Samples.format(Submissions.fetch(deployment))
                + ", queue " + Samples.format(Submissions.queue(deployment)) + ", build and publish "
                + Samples.format(Submissions.publish(deployment)) + ")";
    }

    private void keepBuildLog(Deployment deployment, String name) {
        servers.storage().open(ObjectKeys.log(deployment.id())).ifPresent(log -> {
            try (log) {
                Files.copy(log.body(), work.resolve("logs").resolve(name), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private String repository(String name, Map<String, ?> files) {
        TestRepository repository = servers.git().repository(name);
        files.forEach((path, content) -> {
            if (content instanceof byte[] bytes) {
                repository.file(path, bytes);
            } else {
                repository.file(path, (String) content);
            }
        });
        repository.commit("bench fixture");
        return servers.git().url(name);
    }

    private Path folder(String name) {
        return work.resolve(name + "-" + (++folders));
    }

    private static double ratio(Duration reference, Duration measured) {
        return measured.isZero() ? Double.NaN : (double) reference.toMillis() / measured.toMillis();
    }
}
