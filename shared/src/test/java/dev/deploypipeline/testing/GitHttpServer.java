package dev.deploypipeline.testing;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.pack.PackConfig;
import org.eclipse.jgit.transport.UploadPack;

/**
 * Real git over smart HTTP on loopback: JGit's {@link GitServlet} in an embedded Tomcat, serving the
 * repositories a test makes with {@link #repository(String)}.
 */
public final class GitHttpServer implements AutoCloseable {

    private final Path root;
    private final Tomcat tomcat;
    private final int port;

    private GitHttpServer(Path root) throws LifecycleException, IOException {
        this.root = root;
        this.tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createDirectories(root.resolve(".tomcat")).toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "127.0.0.1");
        Context context = tomcat.addContext("", null);
        GitServlet git = new GitServlet();
        git.setUploadPackFactory(GitHttpServer::uploadPack);
        var servlet = Tomcat.addServlet(context, "git", git);
        servlet.addInitParameter("base-path", root.toString());
        servlet.addInitParameter("export-all", "true");
        context.addServletMappingDecoded("/*", "git");
        tomcat.start();
        this.port = tomcat.getConnector().getLocalPort();
    }

    /**
     * No delta search per fetch, as a git host serving a packed repository does none: it found its deltas once,
     * when it packed, and C git's pack-objects does not search again between objects of one pack ({@code try_delta}).
     * The tests' repositories are small and loose, so their objects go out whole. JGit's own default searches on
     * every fetch, which for the benchmark's 1000 random 4 KB files was most of the CPU of a fetch, the pipeline's
     * and the reference clone's alike.
     */
    private static UploadPack uploadPack(HttpServletRequest request, Repository repository) {
        UploadPack upload = new UploadPack(repository);
        PackConfig pack = new PackConfig(repository);
        pack.setDeltaCompress(false);
        upload.setPackConfig(pack);
        return upload;
    }

    public static GitHttpServer start() {
        try {
            return new GitHttpServer(Files.createTempDirectory("git-http-"));
        } catch (LifecycleException | IOException e) {
            throw new IllegalStateException("could not start the git HTTP server", e);
        }
    }

    /** A new repository served at {@link #url(String)}. */
    public TestRepository repository(String name) {
        return TestRepository.init(root.resolve(name));
    }

    public String url(String name) {
        return "http://127.0.0.1:" + port + "/" + name;
    }

    /** {@code host:port}, the form {@code GIT_ALLOWED_HOSTS} takes. */
    public String hostAndPort() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        } finally {
            LocalProcess.deleteRecursively(root);
        }
    }

    static void write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
