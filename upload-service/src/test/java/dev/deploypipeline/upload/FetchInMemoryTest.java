package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.repo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.testing.PipelineServers;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A fetch is held in memory while it is small: with a {@code FETCH_WORK_DIR} where no folder can be made (under
 * {@code /proc}), a small repository still deploys, and one past {@code FETCH_IN_MEMORY_MAX} is fetched again on
 * disk, which fails saying so.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"fetch.in-memory-max=16KB", "fetch.work-dir=/proc/deploy-pipeline-no-folder-here"})
class FetchInMemoryTest extends RunningApi {

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    FetchInMemoryTest() {
        super(null);
    }

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry);
    }

    @Test
    void aRepositoryWithinTheInMemoryBoundDeploysWithoutAnyFolder() {
        servers.git()
                .repository("small")
                .file("index.html", "<h1>small</h1>")
                .file("a.css", "a{}")
                .commit("small");

        String id = api.deploy(repo(servers.git().url("small")));

        servers.awaitStatus(id, "uploaded");
        assertThat(servers.text("output/" + id + "/index.html")).isEqualTo("<h1>small</h1>");
        assertThat(servers.keys("output/" + id + "/")).hasSize(2);
    }

    @Test
    void aRepositoryPastTheInMemoryBoundIsFetchedAgainOnDiskAndFailsReadablyWhenNoFolderCanBeMade() {
        byte[] large = new byte[64 * 1024];
        new Random(3).nextBytes(large);
        servers.git()
                .repository("large")
                .file("index.html", "x")
                .file("video.bin", large)
                .commit("large");

        String id = api.deploy(repo(servers.git().url("large")));

        servers.awaitStatus(id, "failed");
        assertThat(servers.redis().hget("deployment:" + id, "error"))
                .startsWith("could not store the fetched repository: no folder in FETCH_WORK_DIR");
        assertThat(servers.keys("output/" + id + "/")).isEmpty();
    }
}
