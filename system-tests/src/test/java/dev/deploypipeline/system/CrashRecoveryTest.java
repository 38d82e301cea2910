package dev.deploypipeline.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing is lost or stranded whatever fails: replicas killed with {@code kill -9} or stopped with SIGTERM in
 * the middle of builds, Redis restarted, S3 unreachable for a while. Every service is a real process.
 */
class CrashRecoveryTest {

    /** Short heartbeats and grace so the faults play out in seconds rather than minutes. */
    private static final Map<String, String> FAST_RECOVERY = Map.of(
            "DEPLOY_WORKERS", "2",
            "DEPLOY_HEARTBEAT_TTL", "3s",
            "DEPLOY_REAPER_INTERVAL", "1s",
            "DEPLOY_SHUTDOWN_GRACE", "500ms");

    @TempDir
    Path work;

    private LocalPipeline pipeline;

    @AfterEach
    void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void thirtyDeploymentsAllDeployWhileOneReplicaIsKilledAnotherStoppedAndRedisRestarts() throws Exception {
        pipeline = new LocalPipeline(work);
        PipelineAssertions check = new PipelineAssertions(pipeline);
        SlowSites.create(pipeline, "slow", 30, 2000);
        PipelineApi api = pipeline.startUploadService(Map.of());
        ServiceProcess killed = pipeline.startDeployReplica("r1", FAST_RECOVERY);
        ServiceProcess stopped = pipeline.startDeployReplica("r2", FAST_RECOVERY);
        pipeline.startDeployReplica("r3", FAST_RECOVERY);

        List<String> ids = new ArrayList<>();
        for (int site = 0; site < 30; site++) {
            ids.add(api.deploy(pipeline.git().url("slow"), SlowSites.ref(site)));
        }

        awaitBuilding("r1");
        killed.kill();

        awaitBuilding("r2");
        stopped.terminate(Duration.ofSeconds(30));
        assertThat(pipeline.redis().keys("build-queue:processing:r2-*"))
                .allSatisfy(
                        key -> assertThat(pipeline.redis().llen(key)).as(key).isZero());

        pipeline.redisServer().stop();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> api.tryDeploy(pipeline.git().url("slow")) == 503);
        pipeline.redisServer().startAgain();

        check.allDeployed(ids, Duration.ofMinutes(4));
        for (int site = 0; site < ids.size(); site++) {
            assertThat(check.read("dist/" + ids.get(site) + "/index.html")).isEqualTo(SlowSites.expectedIndex(site));
        }
        check.nothingLeftInAnyList();

        // The stopped replica undid every build it had; the killed one's are undone by the next replica there.
        assertThat(buildFoldersLeft("r2")).isEmpty();
        assertThat(mountsUnder(work.resolve("builds-r2"))).isEmpty();
        pipeline.startDeployReplica("r1", FAST_RECOVERY);
        assertThat(buildFoldersLeft("r1")).isEmpty();
        assertThat(mountsUnder(work.resolve("builds-r1"))).isEmpty();
    }

    /** The build folders ({@code {id}-u{uid}-{random}}) in a replica's work folder. */
    private List<String> buildFoldersLeft(String replica) throws IOException {
        try (Stream<Path> entries = Files.list(work.resolve("builds-" + replica))) {
            return entries.map(entry -> entry.getFileName().toString())
                    .filter(name -> name.matches(".+-u\\d+-\\p{XDigit}+"))
                    .toList();
        }
    }

    /** What is mounted at or below {@code folder}: a build disk left mounted would be. */
    private static List<String> mountsUnder(Path folder) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                .map(line -> line.split(" ")[1])
                .filter(mountPoint -> Path.of(mountPoint).startsWith(folder))
                .toList();
    }

    @Test
    void deploymentsFinishWhenTheS3ServerIsUnreachableForAWhile() throws Exception {
        pipeline = new LocalPipeline(work);
        PipelineAssertions check = new PipelineAssertions(pipeline);
        SlowSites.create(pipeline, "outage", 5, 2000);
        PipelineApi api = pipeline.startUploadService(Map.of());
        ServiceProcess replica = pipeline.startDeployReplica("r1", FAST_RECOVERY);
        List<String> ids = new ArrayList<>();
        for (int site = 0; site < 4; site++) {
            ids.add(api.deploy(pipeline.git().url("outage"), SlowSites.ref(site)));
        }
        awaitBuilding("r1");

        pipeline.s3Server().stop();
        ids.add(api.deploy(pipeline.git().url("outage"), SlowSites.ref(4)));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Files.readString(replica.log()).contains("Retrying after a transient fault"));
        pipeline.s3Server().startAgain();

        check.allDeployed(ids, Duration.ofMinutes(3));
        for (int site = 0; site < ids.size(); site++) {
            assertThat(check.read("dist/" + ids.get(site) + "/index.html")).isEqualTo(SlowSites.expectedIndex(site));
        }
        check.nothingLeftInAnyList();
    }

    private void awaitBuilding(String replica) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> pipeline.redis().keys("build-queue:processing:" + replica + "-*").stream()
                        .anyMatch(key -> pipeline.redis().llen(key) > 0));
    }
}
