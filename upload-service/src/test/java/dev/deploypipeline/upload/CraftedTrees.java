package dev.deploypipeline.upload;

import dev.deploypipeline.testing.TestRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;

/**
 * Trees no work tree could hold, written straight into a test repository's objects as a hostile author's client
 * would push them: folders that name one tree over and over, tens of thousands of entries in one folder.
 */
final class CraftedTrees implements AutoCloseable {

    private final Git git;
    private final ObjectInserter inserter;

    CraftedTrees(TestRepository repository) {
        try {
            this.git = Git.open(repository.workTree().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.inserter = git.getRepository().newObjectInserter();
    }

    ObjectId blob(String content) throws IOException {
        return inserter.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8));
    }

    /** A tree of these entries (name to mode and object), sorted as git requires. */
    ObjectId tree(Map<String, Map.Entry<FileMode, ObjectId>> entries) throws IOException {
        TreeFormatter tree = new TreeFormatter();
        Map<String, Map.Entry<FileMode, ObjectId>> sorted = new TreeMap<>((a, b) -> {
            // git sorts a folder's name as if it ended with '/'
            return sortName(a, entries.get(a).getKey())
                    .compareTo(sortName(b, entries.get(b).getKey()));
        });
        sorted.putAll(entries);
        sorted.forEach((name, entry) -> tree.append(name, entry.getKey(), entry.getValue()));
        return inserter.insert(tree);
    }

    /** {@code levels} folders deep, each folder naming the one below {@code width} times, over {@code bottom}. */
    ObjectId repeated(ObjectId bottom, int levels, int width) throws IOException {
        ObjectId tree = bottom;
        for (int level = 0; level < levels; level++) {
            Map<String, Map.Entry<FileMode, ObjectId>> entries = new TreeMap<>();
            for (int i = 0; i < width; i++) {
                entries.put("d" + i, Map.entry(FileMode.TREE, tree));
            }
            tree = tree(entries);
        }
        return tree;
    }

    /** A commit of {@code tree} on the repository's current branch. */
    void commit(ObjectId tree) throws IOException {
        Repository repository = git.getRepository();
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        PersonIdent author = new PersonIdent("Hostile", "hostile@example.com");
        commit.setAuthor(author);
        commit.setCommitter(author);
        commit.setMessage("crafted");
        ObjectId head = repository.resolve(Constants.HEAD);
        if (head != null) {
            commit.setParentId(head);
        }
        ObjectId id = inserter.insert(commit);
        inserter.flush();
        RefUpdate update = repository.updateRef(repository.getFullBranch());
        update.setNewObjectId(id);
        RefUpdate.Result result = update.forceUpdate();
        if (result != RefUpdate.Result.NEW
                && result != RefUpdate.Result.FORCED
                && result != RefUpdate.Result.FAST_FORWARD) {
            throw new IOException("could not move the branch: " + result);
        }
    }

    private static String sortName(String name, FileMode mode) {
        return mode == FileMode.TREE ? name + "/" : name;
    }

    @Override
    public void close() {
        inserter.close();
        git.close();
    }
}
