package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.repo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deploypipeline.storage.StoredObject;
import dev.deploypipeline.testing.PipelineServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A fetch past {@code FETCH_IN_MEMORY_MAX} is made again in a folder of {@code FETCH_WORK_DIR}: its files are stored
 * whole, the folder is removed, and {@code FETCH_MAX_BYTES} holds on the second fetch as on the first.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"fetch.in-memory-max=16KB", "fetch.max-bytes=256KB"})
class FetchOnDiskTest extends RunningApi {

    private static final Random RANDOM = new Random(9);

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    @TempDir
    static Path workDir;

    FetchOnDiskTest() {
        super(null);
    }

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry);
        registry.add("fetch.work-dir", () -> workDir.toString());
    }

    @Test
    void aRepositoryPastTheInMemoryBoundIsFetchedAgainOnDiskStoredWholeAndItsFolderRemoved() {
        byte[] first = randomBytes(40 * 1024);
        byte[] second = randomBytes(40 * 1024);
        servers.git()
                .repository("past-memory")
                .file("index.html", "<h1>on disk</h1>")
                .file("media/first.bin", first)
                .file("media/second.bin", second)
                .commit("past memory");

        String id = api.deploy(repo(servers.git().url("past-memory")));

        servers.awaitStatus(id, "uploaded");
        assertThat(bytes("output/" + id + "/media/first.bin")).isEqualTo(first);
        assertThat(bytes("output/" + id + "/media/second.bin")).isEqualTo(second);
        assertThat(servers.text("output/" + id + "/index.html")).isEqualTo("<h1>on disk</h1>");
        assertThat(entries(workDir)).isEmpty();
    }

    @Test
    void theByteLimitHoldsOnTheFetchMadeAgainOnDisk() {
        servers.git()
                .repository("past-both")
                .file("a.bin", randomBytes(200 * 1024))
                .file("b.bin", randomBytes(200 * 1024))
                .commit("past both");

        String id = api.deploy(repo(servers.git().url("past-both")));

        servers.awaitStatus(id, "failed");
        assertThat(servers.redis().hget("deployment:" + id, "error")).contains("FETCH_MAX_BYTES");
        assertThat(servers.keys("output/" + id + "/")).isEmpty();
        assertThat(entries(workDir)).isEmpty();
    }

    private static byte[] bytes(String key) {
        try (StoredObject object = servers.storage().open(key).orElseThrow()) {
            return object.body().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.util.List<Path> entries(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
