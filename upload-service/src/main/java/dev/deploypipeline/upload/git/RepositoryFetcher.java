package dev.deploypipeline.upload.git;

import dev.deploypipeline.autoconfigure.SourceSizeLimit;
import dev.deploypipeline.network.RefusedHostException;
import dev.deploypipeline.threads.NamedThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.http.NoHttpResponseException;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.springframework.stereotype.Component;

/**
 * Fetches one commit of a repository with JGit: the remote's refs are listed first so a branch or tag can
 * be named plainly (or the default branch taken), then only that ref is fetched, shallow, into a fresh
 * bare repository. Every connection goes through a {@link PinnedConnectionFactory} of the fetch's own, which
 * checks each address connected to and counts the bytes received; at {@code FETCH_TIMEOUT} it is closed,
 * which ends the fetch wherever it is.
 */
@Component
public class RepositoryFetcher implements AutoCloseable {

    private static final String TARGET = "refs/deploy/source";

    private final FetchSettings settings;
    private final SourceSizeLimit sourceLimit;
    private final RepositoryUrlPolicy policy;
    private final ScheduledExecutorService deadlines = NamedThreads.scheduler("fetch-deadlines");

    public RepositoryFetcher(FetchSettings settings, SourceSizeLimit sourceLimit, RepositoryUrlPolicy policy) {
        this.settings = settings;
        this.sourceLimit = sourceLimit;
        this.policy = policy;
    }

    public FetchedCommit fetch(RepositoryUrl url, String ref) {
        FetchBudget budget = FetchBudget.of(settings);
        Path directory = createDirectory();
        try (PinnedConnectionFactory connections = new PinnedConnectionFactory(policy, budget, settings.ioTimeout())) {
            ScheduledFuture<?> deadline =
                    deadlines.schedule(connections::close, settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
            try {
                TransportConfigCallback pinned = transport -> {
                    if (!(transport instanceof TransportHttp http)) {
                        throw new IllegalStateException("only http(s) transports are used");
                    }
                    http.setHttpConnectionFactory(connections);
                };
                return fetchInto(directory, url, ref, pinned);
            } finally {
                deadline.cancel(false);
            }
        } catch (GitAPIException | IOException | RuntimeException e) {
            deleteQuietly(directory);
            throw failure(e, url, budget);
        }
    }

    /**
     * Lists the remote's refs, then fetches only the one {@code ref} names, shallow, into a new bare repository
     * in {@code directory}. Refs are listed through that repository too: git servers that speak only the
     * "dumb" HTTP protocol cannot be listed without one.
     */
    private FetchedCommit fetchInto(Path directory, RepositoryUrl url, String ref, TransportConfigCallback pinned)
            throws GitAPIException, IOException {
        Repository repository = FileRepositoryBuilder.create(directory.toFile());
        try (Git git = new Git(repository)) {
            repository.create(true);
            Map<String, Ref> remoteRefs = git.lsRemote()
                    .setRemote(url.withoutCredentials())
                    .setCredentialsProvider(credentials(url))
                    .setTransportConfigCallback(pinned)
                    .setTimeout(timeoutSeconds())
                    .callAsMap();
            String source = resolve(remoteRefs, ref);
            git.fetch()
                    .setRemote(url.withoutCredentials())
                    .setRefSpecs(new RefSpec("+" + source + ":" + TARGET))
                    .setDepth(1)
                    .setTagOpt(TagOpt.NO_TAGS)
                    .setCredentialsProvider(credentials(url))
                    .setTransportConfigCallback(pinned)
                    .setTimeout(timeoutSeconds())
                    .call();
            ObjectId commit = repository.resolve(TARGET + "^{commit}");
            if (commit == null) {
                throw new FetchException("'" + source + "' does not point at a commit");
            }
            return new FetchedCommit(repository, commit, directory, settings, sourceLimit.maxSize());
        } catch (RuntimeException | GitAPIException | IOException e) {
            repository.close();
            throw e;
        }
    }

    private static CredentialsProvider credentials(RepositoryUrl url) {
        return url.hasCredentials() ? new UsernamePasswordCredentialsProvider(url.username(), url.password()) : null;
    }

    private int timeoutSeconds() {
        return (int) Math.max(1, settings.ioTimeout().toSeconds());
    }

    /** What went wrong, in words fit for the deployment's error: a limit or a refusal is named as such. */
    private static RuntimeException failure(Exception e, RepositoryUrl url, FetchBudget budget) {
        if (budget.isExpired()) {
            return new FetchException(budget.timeoutMessage(), e);
        }
        Optional<Throwable> named = causes(e)
                .filter(cause -> cause instanceof FetchLimitExceededException || cause instanceof RefusedHostException)
                .findFirst();
        if (named.isPresent()) {
            return new FetchException(named.get().getMessage(), e);
        }
        if (e instanceof FetchException fetch) {
            return fetch;
        }
        Optional<Throwable> network = causes(e)
                .filter(cause -> cause instanceof SocketException || cause instanceof NoHttpResponseException)
                .findFirst();
        if (network.isPresent()) {
            return FetchException.networkFault(
                    "could not fetch " + url + ": " + network.get().getMessage(), e);
        }
        if (e instanceof GitAPIException) {
            return new FetchException("could not fetch " + url + ": " + describe(e, url), e);
        }
        if (e instanceof IOException) {
            return new FetchException("could not store the fetched repository: " + e.getMessage(), e);
        }
        return (RuntimeException) e;
    }

    private static Stream<Throwable> causes(Throwable e) {
        return Stream.iterate(e, cause -> cause != null, cause -> cause.getCause() == cause ? null : cause.getCause());
    }

    private static String resolve(Map<String, Ref> remoteRefs, String ref) {
        if (ref == null || ref.isBlank()) {
            Ref head = remoteRefs.get(Constants.HEAD);
            if (head == null) {
                throw new FetchException("the repository is empty or has no default branch");
            }
            return head.isSymbolic() ? head.getTarget().getName() : Constants.HEAD;
        }
        for (String candidate : new String[] {ref, Constants.R_HEADS + ref, Constants.R_TAGS + ref}) {
            if (candidate.startsWith(Constants.R_REFS) && remoteRefs.containsKey(candidate)) {
                return candidate;
            }
        }
        throw new FetchException("the repository has no branch or tag named '" + ref + "'");
    }

    /** JGit's message, which names the URL it was given: never one with credentials, as we pass none in it. */
    private static String describe(Exception e, RepositoryUrl url) {
        Throwable root = causes(e).reduce((first, second) -> second).orElse(e);
        String message = e.getMessage() == null ? root.toString() : e.getMessage();
        return message.replace(url.withoutCredentials() + ": ", "");
    }

    private Path createDirectory() {
        try {
            Files.createDirectories(settings.workDir());
            return Files.createTempDirectory(settings.workDir(), "fetch-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteQuietly(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a leftover temporary folder is not worth failing a deployment for
        }
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
    }
}
