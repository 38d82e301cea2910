package dev.deploypipeline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;

/** A git repository a test writes files into and commits, served by {@link GitHttpServer}. */
public final class TestRepository {

    private final Path workTree;
    private final Git git;

    private TestRepository(Path workTree, Git git) {
        this.workTree = workTree;
        this.git = git;
    }

    static TestRepository init(Path workTree) {
        try {
            Git git = Git.init()
                    .setDirectory(workTree.toFile())
                    .setInitialBranch("main")
                    .call();
            git.getRepository().getConfig().setBoolean("http", null, "receivepack", true);
            git.getRepository().getConfig().save();
            return new TestRepository(workTree, git);
        } catch (GitAPIException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public TestRepository file(String path, String content) {
        return file(path, content.getBytes(StandardCharsets.UTF_8));
    }

    public TestRepository file(String path, byte[] content) {
        GitHttpServer.write(workTree.resolve(path), content);
        return this;
    }

    /** Copies every file under {@code source} (a fixture folder) into the work tree at {@code prefix}. */
    public TestRepository copyOf(Path source, String prefix) {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                file(prefix + source.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public TestRepository executable(String path, String content) {
        file(path, content);
        try {
            Files.setPosixFilePermissions(workTree.resolve(path), PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public TestRepository symlink(String path, String target) {
        try {
            Path link = workTree.resolve(path);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Commits everything written so far on the current branch; returns the commit id. */
    public String commit(String message) {
        try {
            git.add().addFilepattern(".").call();
            git.add().addFilepattern(".").setUpdate(true).call();
            return git.commit()
                    .setMessage(message)
                    .setAuthor("Test", "test@example.com")
                    .setCommitter("Test", "test@example.com")
                    .call()
                    .getName();
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    public TestRepository branch(String name) {
        try {
            git.checkout()
                    .setName(name)
                    .setCreateBranch(git.getRepository().resolve(name) == null)
                    .call();
            return this;
        } catch (GitAPIException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An annotated tag {@code name} of the last commit. */
    public TestRepository tag(String name) {
        try {
            git.tag()
                    .setName(name)
                    .setAnnotated(true)
                    .setMessage("release " + name)
                    .call();
            return this;
        } catch (GitAPIException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An annotated tag {@code name} of the last commit's tree, not of a commit: what a hostile repository may push. */
    public TestRepository tagOfTree(String name) {
        try (RevWalk walk = new RevWalk(git.getRepository())) {
            RevTree tree = walk.parseCommit(git.getRepository().resolve("HEAD")).getTree();
            git.tag()
                    .setName(name)
                    .setObjectId(tree)
                    .setAnnotated(true)
                    .setMessage("a tree")
                    .call();
            return this;
        } catch (GitAPIException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path workTree() {
        return workTree;
    }
}
