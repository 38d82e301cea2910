package dev.deploypipeline.upload.git;

import dev.deploypipeline.autoconfigure.SourceSizeLimit;
import dev.deploypipeline.network.RefusedHostException;
import dev.deploypipeline.threads.NamedThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.http.NoHttpResponseException;
import org.eclipse.jgit.api.TransportConfigCallback;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportHttp;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.springframework.stereotype.Component;

/**
 * Fetches one commit of a repository with JGit, over one connection: the refs the remote advertises name the
 * branch or tag asked for (plainly, or the default branch), then only that ref is fetched, shallow, into a fresh
 * bare repository. Every connection goes through a {@link PinnedConnectionFactory} of the fetch's own, which
 * checks each address connected to and counts the bytes received; at {@code FETCH_TIMEOUT} it is closed,
 * which ends the fetch wherever it is.
 */
@Component
public class RepositoryFetcher implements AutoCloseable {

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
        } catch (IOException | URISyntaxException | RuntimeException e) {
            deleteQuietly(directory);
            throw failure(e, url, budget);
        }
    }

    /**
     * Fetches only the one ref {@code ref} names, shallow, into a new bare repository in {@code directory}, over one
     * connection: the refs it advertises name the commit to fetch, so nothing is asked for twice. The connection
     * belongs to that repository: git servers that speak only the "dumb" HTTP protocol cannot be listed without one.
     */
    private FetchedCommit fetchInto(Path directory, RepositoryUrl url, String ref, TransportConfigCallback pinned)
            throws IOException, URISyntaxException {
        Repository repository = FileRepositoryBuilder.create(directory.toFile());
        try {
            repository.create(true);
            try (Transport transport = Transport.open(repository, new URIish(url.withoutCredentials()))) {
                pinned.configure(transport);
                transport.setCredentialsProvider(credentials(url));
                transport.setTimeout(timeoutSeconds());
                transport.setTagOpt(TagOpt.NO_TAGS);
                transport.setDepth(1);
                try (FetchConnection connection = transport.openFetch()) {
                    Map<String, Ref> remoteRefs = connection.getRefsMap();
                    String source = resolve(remoteRefs, ref);
                    Ref wanted = remoteRefs.get(source);
                    if (wanted == null || wanted.getObjectId() == null) {
                        throw new FetchException("'" + source + "' does not point at a commit");
                    }
                    connection.fetch(NullProgressMonitor.INSTANCE, List.of(wanted), Set.of());
                    ObjectId commit = commitOf(repository, source, wanted.getObjectId());
                    return new FetchedCommit(repository, commit, directory, settings, sourceLimit.maxSize());
                }
            }
        } catch (RuntimeException | IOException | URISyntaxException e) {
            repository.close();
            throw e;
        }
    }

    /** The commit {@code id} is or, for an annotated tag, points at; a ref to anything else is refused. */
    private static ObjectId commitOf(Repository repository, String source, ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(repository)) {
            RevObject peeled = walk.peel(walk.parseAny(id));
            if (!(peeled instanceof RevCommit commit)) {
                throw new FetchException("'" + source + "' does not point at a commit");
            }
            return commit.copy();
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
        if (e instanceof TransportException || e instanceof URISyntaxException) {
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
