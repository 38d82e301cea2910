package dev.deploypipeline.upload;

import static dev.deploypipeline.upload.ApiClient.repo;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.deploypipeline.testing.PipelineServers;
import dev.deploypipeline.testing.TestRepository;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A git server that only serves the repository's files ("dumb" HTTP), as some static hosts do. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DumbHttpGitTest {

    @RegisterExtension
    static final PipelineServers servers = PipelineServers.start();

    @TempDir
    static Path files;

    private static HttpServer dumbServer;

    @LocalServerPort
    int port;

    @BeforeAll
    static void serveABareRepositoryAsPlainFiles() throws Exception {
        TestRepository source = servers.git().repository("dumb-source").file("index.html", "<h1>dumb</h1>");
        source.commit("site");
        source.branch("next").file("index.html", "<h1>next</h1>").commit("next");
        source.branch("main"); // the bare copy's HEAD names main
        Path bare = files.resolve("site.git");
        run("git", "clone", "--quiet", "--bare", source.workTree().toString(), bare.toString());
        run("git", "-C", bare.toString(), "update-server-info");
        dumbServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        dumbServer.createContext("/", exchange -> {
            Path file = files.resolve(exchange.getRequestURI().getPath().substring(1))
                    .normalize();
            boolean found = file.startsWith(files) && Files.isRegularFile(file);
            exchange.sendResponseHeaders(found ? 200 : 404, found ? Files.size(file) : -1);
            if (found) {
                try (OutputStream body = exchange.getResponseBody()) {
                    Files.copy(file, body);
                }
            }
            exchange.close();
        });
        dumbServer.start();
    }

    @AfterAll
    static void stopServer() {
        dumbServer.stop(0);
    }

    @DynamicPropertySource
    static void pipeline(DynamicPropertyRegistry registry) {
        servers.register(registry, "127.0.0.1:" + dumbServer.getAddress().getPort());
    }

    @Test
    void repositoryOnADumbHttpServerIsFetchedAndQueued() {
        String id = new ApiClient(port, null).deploy(repo(url()));

        servers.awaitStatus(id, "uploaded");
        assertThat(servers.text("output/" + id + "/index.html")).isEqualTo("<h1>dumb</h1>");
    }

    @Test
    void onADumbServerTheDefaultBranchOfAProjectWithNoBranchBuildsItsSiteAndAnotherBranchItsPreview() {
        ApiClient api = new ApiClient(port, null);
        HttpResponse<String> created =
                api.post("/projects", Map.of("name", "dumb", "repoUrl", url(), "previewBranches", "all"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        String site = api.deploy(Map.of("project", "dumb", "branch", "main"));
        String preview = api.deploy(Map.of("project", "dumb", "branch", "next"));

        servers.awaitStatus(site, "uploaded");
        servers.awaitStatus(preview, "uploaded");
        assertThat(servers.redis().hget("deployment:" + site, "preview")).isNull();
        assertThat(servers.redis().hget("aliases", "main--dumb")).isNull();
        assertThat(servers.redis().hget("deployment:" + preview, "preview")).isEqualTo("next--dumb");
        assertThat(servers.text("output/" + site + "/index.html")).isEqualTo("<h1>dumb</h1>");
        assertThat(servers.text("output/" + preview + "/index.html")).isEqualTo("<h1>next</h1>");
    }

    private static String url() {
        return "http://127.0.0.1:" + dumbServer.getAddress().getPort() + "/site.git";
    }

    private static void run(String... command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).inheritIO().start();
            assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
