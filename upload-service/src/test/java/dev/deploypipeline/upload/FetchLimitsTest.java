package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.repo;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.deploypipeline.testing.PipelineServers;
import dev.deploypipeline.testing.TestRepository;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Each fetch limit, set low: past it the deployment fails naming it, and nothing stays under output/{id}/. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"fetch.max-files=5", "fetch.max-file-size=4KB", "fetch.max-bytes=48KB", "fetch.timeout=4s"})
class FetchLimitsTest {

    private static final Random RANDOM = new Random(5);

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    private static HttpServer stalling;
    private static final CountDownLatch RELEASE = new CountDownLatch(1);

    @LocalServerPort
    int port;

    private ApiClient api;

    @BeforeAll
    static void startStallingServer() throws IOException {
        stalling = stallingServer();
    }

    @AfterAll
    static void stopStallingServer() {
        RELEASE.countDown();
        stalling.stop(0);
    }

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry, "127.0.0.1:" + stalling.getAddress().getPort());
    }

    @BeforeEach
    void client() {
        api = new ApiClient(port, null);
    }

    @Test
    void aRepositoryWithinEveryLimitDeploys() {
        servers.git()
                .repository("small")
                .file("index.html", "x")
                .file("a.css", "a")
                .file("b.js", "b")
                .commit("x");

        String id = api.deploy(repo(servers.git().url("small")));

        servers.awaitStatus(id, "uploaded");
        assertThat(servers.keys("output/" + id + "/")).hasSize(3);
    }

    @Test
    void moreFilesThanTheLimitFailTheDeploymentNamingIt() {
        TestRepository repository = servers.git().repository("many-files");
        for (int i = 0; i < 6; i++) {
            repository.file("page-" + i + ".html", "page " + i);
        }
        repository.commit("six files");

        assertFailsNaming(api.deploy(repo(servers.git().url("many-files"))), "FETCH_MAX_FILES");
    }

    @Test
    void aSmallTreeThatNamesOneFolderOverAndOverFailsAtTheLimitInsteadOfBeingWalkedForEver() throws IOException {
        TestRepository repository = servers.git().repository("tree-bomb");
        try (CraftedTrees trees = new CraftedTrees(repository)) {
            ObjectId someCommit = ObjectId.fromString("0123456789abcdef0123456789abcdef01234567");
            Map<String, Map.Entry<FileMode, ObjectId>> submodules = new TreeMap<>();
            for (int i = 0; i < 10; i++) {
                submodules.put("module-" + i, Map.entry(FileMode.GITLINK, someCommit));
            }
            // 10^11 submodule links and 10^10 empty folders, in a few kilobytes: none of them is a file
            ObjectId links = trees.repeated(trees.tree(submodules), 10, 10);
            ObjectId empty = trees.repeated(trees.tree(Map.of()), 10, 10);
            trees.commit(trees.tree(Map.of(
                    "index.html", Map.entry(FileMode.REGULAR_FILE, trees.blob("x")),
                    "links", Map.entry(FileMode.TREE, links),
                    "empty", Map.entry(FileMode.TREE, empty))));
        }

        assertFailsNaming(api.deploy(repo(servers.git().url("tree-bomb"))), "FETCH_MAX_FILES");
    }

    @Test
    void aFileLargerThanTheLimitFailsTheDeploymentNamingIt() {
        servers.git()
                .repository("large-file")
                .file("index.html", "x")
                .file("video.bin", randomBytes(8 * 1024))
                .commit("x");

        assertFailsNaming(api.deploy(repo(servers.git().url("large-file"))), "FETCH_MAX_FILE_SIZE");
    }

    @Test
    void moreBytesThanTheLimitFailTheFetchNamingIt() {
        servers.git()
                .repository("heavy")
                .file("a.bin", randomBytes(30 * 1024))
                .file("b.bin", randomBytes(30 * 1024))
                .commit("heavy");

        assertFailsNaming(api.deploy(repo(servers.git().url("heavy"))), "FETCH_MAX_BYTES");
    }

    @Test
    void aServerThatStallsIsLeftAtTheTimeoutNamingIt() {
        long started = System.nanoTime();

        assertFailsNaming(
                api.deploy(repo("http://127.0.0.1:" + stalling.getAddress().getPort() + "/slow")), "FETCH_TIMEOUT");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }

    private void assertFailsNaming(String id, String limit) {
        servers.awaitStatus(id, "failed");
        assertThat(servers.redis().hget("deployment:" + id, "error")).contains(limit);
        assertThat(servers.keys("output/" + id + "/")).isEmpty();
        assertThat(servers.redis().lrange("build-queue", 0, -1)).doesNotContain(id);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** A git server that accepts a request and never answers (until the test class ends). */
    private static HttpServer stallingServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try {
                RELEASE.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
        return server;
    }
}
